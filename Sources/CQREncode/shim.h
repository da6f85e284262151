// libqrencode (Debian libqrencode-dev): the QR code on a document's verification block.
#include <qrencode.h>
