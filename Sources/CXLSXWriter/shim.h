// libxlsxwriter (Debian libxlsxwriter-dev): lists and reports as real .xlsx workbooks.
#include <xlsxwriter.h>
