# Run by setup.sh inside the new venv ($VENV). perf_analyzer (tritonclient 2.51.0, see peer-genai-perf.nodeps.txt)
# links libb64.so.0d and libcudart.so.12: unpack Debian's libb64-0d (apt-get download: no root, the system is not
# changed) into $VENV/lib/perf_analyzer, and replace bin/perf_analyzer (found by genai-perf on PATH) by a wrapper
# that puts that folder and the CUDA runtime wheel's lib folder on LD_LIBRARY_PATH.
libdir="$VENV/lib/perf_analyzer"
mkdir -p "$libdir"
tmp=$(mktemp -d)
(cd "$tmp" && apt-get download libb64-0d=1.2-5+b1 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
echo "b0e1d6fde8bdccc18c3884144aede064dc82464dd4777275fa80e74c05583e82  $(ls "$tmp"/libb64-0d_*.deb)" | sha256sum -c -
dpkg -x "$tmp"/libb64-0d_*.deb "$tmp/x"
cp "$tmp"/x/usr/lib/x86_64-linux-gnu/libb64.so.0d "$libdir/"
rm -rf "$tmp"
cudart=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/nvidia/cuda_runtime/lib
mv "$VENV/bin/perf_analyzer" "$libdir/perf_analyzer"
printf '#!/bin/sh\nLD_LIBRARY_PATH="%s:%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "%s/perf_analyzer" "$@"\n' "$libdir" "$cudart" "$libdir" >"$VENV/bin/perf_analyzer"
chmod +x "$VENV/bin/perf_analyzer"
"$VENV/bin/perf_analyzer" --version
