# Sourced by run.sh, test.sh and bench/run.sh: the C libraries the SwiftPM system-library targets
# link (Sources/C*/module.modulemap), installed with apt when a header or data file is missing.
#   libmagic      names an uploaded document's type from its content (CLibMagic)
#   cairo, pango  lay out and write official documents as PDF, with the CJK fonts (CPangoCairo)
#   libqrencode   the QR code of a document's verification block (CQREncode)
#   libxlsxwriter lists and reports as .xlsx workbooks (CXLSXWriter)
#   libcurl       sends the outbox's mail over SMTP (CCurl)
zx_missing=()
{ pkg-config --exists libmagic 2>/dev/null || [ -f /usr/include/magic.h ]; } && [ -e /usr/share/misc/magic.mgc ] || zx_missing+=(libmagic-dev)
pkg-config --exists pangocairo 2>/dev/null || zx_missing+=(libcairo2-dev libpango1.0-dev)
pkg-config --exists libqrencode 2>/dev/null || zx_missing+=(libqrencode-dev)
pkg-config --exists xlsxwriter 2>/dev/null || zx_missing+=(libxlsxwriter-dev)
pkg-config --exists libcurl 2>/dev/null || zx_missing+=(libcurl4-openssl-dev)
[ -d /usr/share/fonts/opentype/noto ] || zx_missing+=(fonts-noto-cjk)
if [ ${#zx_missing[@]} -gt 0 ]; then
  echo "==> installing ${zx_missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${zx_missing[@]}" >/dev/null
fi
unset zx_missing
