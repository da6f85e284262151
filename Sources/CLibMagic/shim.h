// libmagic (Debian libmagic-dev): the file(1) library that names a document's type from its content.
#include <magic.h>
