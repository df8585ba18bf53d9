#!/usr/bin/env bash
# Installs the notebooks' Java kernel for your user: rapaio's own installer (`-i -auto`), then the
# fix to its poll-loop thread (src/main/java/org/rapaio/jupyter/kernel/channels/LoopThread.java, built
# into target/kernel-patch.jar): copied beside the installed kernel jar and put ahead of it on the
# kernel's class path, so a kernel no longer fails to answer now and then at start-up; and the JDK's
# vector module, which FENA's fast kernels use.
#   notebooks/install-kernel.sh        (after mvn -B -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kernel_jar="$here/target/kernel/rapaio-jupyter-kernel.jar"
patch_jar="$here/target/kernel-patch.jar"
for f in "$kernel_jar" "$patch_jar"; do
  if [[ ! -f "$f" ]]; then
    echo "install-kernel: $f is missing (build first: mvn -B -DskipTests package)" >&2
    exit 1
  fi
done
if ! command -v jupyter >/dev/null 2>&1; then
  echo "install-kernel: jupyter is not installed (pip install jupyterlab, or apt-get install jupyter-notebook)" >&2
  exit 1
fi
# the installer says where it put the kernelspec ("Installation path: ..." and "Kernel dir: ...")
log="$(java -jar "$kernel_jar" -i -auto)"
printf '%s\n' "$log"
dir="$(printf '%s\n' "$log" | sed -n 's/^Installation path: //p')/$(printf '%s\n' "$log" | sed -n 's/^Kernel dir: //p')"
if [[ ! -f "$dir/kernel.json" ]]; then
  echo "install-kernel: the installer ran, but left no kernel.json where it said ($dir)" >&2
  exit 1
fi
cp "$patch_jar" "$dir/kernel-patch.jar.tmp" && mv "$dir/kernel-patch.jar.tmp" "$dir/kernel-patch.jar"
# "-jar KERNEL.jar" becomes "-cp kernel-patch.jar:KERNEL.jar MainApp"; written aside, then moved into place
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
spec = os.path.join(d, "kernel.json")
with open(spec) as f:
    k = json.load(f)
argv = k["argv"]
if "-jar" not in argv:
    sys.exit("install-kernel: %s has no '-jar' in its argv (already patched?): %s" % (spec, argv))
i = argv.index("-jar")
argv[i:i + 2] = ["-cp", os.path.join(d, "kernel-patch.jar") + os.pathsep + argv[i + 1],
                 "org.rapaio.jupyter.kernel.MainApp"]
# FENA's vector kernels need the incubator module (without it FENA runs its scalar loops)
if "jdk.incubator.vector" not in argv:
    argv[1:1] = ["--add-modules", "jdk.incubator.vector"]
tmp = spec + ".tmp"
with open(tmp, "w") as f:
    json.dump(k, f, indent=2)
os.replace(tmp, spec)
print("install-kernel: %s now starts the kernel with the poll-loop fix ahead of it" % spec)
PY
