// Cairo (PDF surfaces) and Pango (Chinese text shaping and line breaking), Debian libcairo2-dev and
// libpango1.0-dev: official documents are laid out and written as PDF by these, not by our own writer.
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
