# Sourced by bench/run.sh and bench/rounds.sh (not run by itself): builds the benchmark jar and runs
# Java the way both scripts need. Expects $root, the checkout.
jar="$root/bench/target/fena-bench.jar"
build_bench() { (cd "$root" && mvn -B -q -DskipTests package -pl bench -am) >&2; }
# stderr passes, but for the JVM's notes on the incubator module and netlib's backend probing: a
# harness that misses the peer's energy says so there (and exits non-zero)
java_run() { java --add-modules jdk.incubator.vector "$@" 2> >(grep -v -e 'incubator' -e 'JNIBLAS' -e 'InstanceBuilder' >&2); }
# FENA runs as ./fena runs it: one BLAS thread per product, batches split by samples over the cores
# (the dgemm ceiling keeps the library's own threads: it is the machine's limit)
fena_run() { OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" java_run "$@"; }
