#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, skipping what is there:
# the C libraries (HDF5, OpenBLAS, ncursesw, libFLAC, libmatio) and tmux through apt, and the Python
# oracles the tests compare against (PyTorch CPU, safetensors, h5py, wfdb with soundfile, pyedflib,
# scikit-learn, scipy, NeuroKit2) through pip. With --bench it also installs the benchmark peers (faiss-cpu, onnxruntime + onnx +
# onnxscript for the ONNX export, umap-learn).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(libopenblas-dev libhdf5-dev libncurses-dev libflac-dev libmatio-dev pkg-config tmux)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
pip_packages=("torch==2.13.0+cpu" safetensors h5py wfdb soundfile pyedflib scikit-learn scipy numpy "neurokit2==0.3.0")
modules=(torch safetensors h5py wfdb soundfile pyedflib sklearn scipy numpy neurokit2)
if [ "${1:-}" = "--bench" ]; then
  pip_packages+=(faiss-cpu onnxruntime onnx onnxscript umap-learn)
  modules+=(faiss onnxruntime onnx onnxscript umap)
fi
need=0
for m in "${modules[@]}"; do "$python" -c "import $m" 2>/dev/null || need=1; done
if [ $need -eq 1 ]; then
  echo "bootstrap: installing Python oracles (${pip_packages[*]})" >&2
  "$python" -m pip install -q --disable-pip-version-check "${pip_packages[@]}" \
    || "$python" -m pip install -q --disable-pip-version-check \
         --extra-index-url https://download.pytorch.org/whl/cpu "${pip_packages[@]}"
fi
