#!/usr/bin/env bash
# spark-submit, with or without a Spark distribution. Takes spark-submit's arguments:
#
#   simulator-spark/bench/spark-submit.sh --master 'local[2]' \
#     --class io.nextbest.simulator.spark.SparkSimulation simulator-spark/target/nba-simulator-spark.jar ...
#
# With SPARK_HOME set (a Spark 4.0.x distribution) this is $SPARK_HOME/bin/spark-submit. Otherwise it runs
# org.apache.spark.deploy.SparkSubmit, the class bin/spark-submit starts, in a JVM of its own (the driver; heap
# SPARK_DRIVER_HEAP, default 3g, since --driver-memory cannot resize a JVM already running) with the
# --add-opens Spark's launcher adds on Java 17, on Spark 4.0.1's own dependency set (spark-sql_2.13 and what it
# depends on, not this project's versions) that Maven resolves once into $SPARK_CP (default
# simulator-spark/target/spark-cp.txt).
set -euo pipefail
if [ -n "${SPARK_HOME:-}" ]; then
  exec "$SPARK_HOME/bin/spark-submit" "$@"
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
CP="${SPARK_CP:-$HERE/../target/spark-cp.txt}"
if [ ! -s "$CP" ]; then
  DEPS="$(mktemp -d -t nba-spark-deps.XXXXXX)"
  cat > "$DEPS/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-classpath</artifactId><version>1</version>
  <dependencies><dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId><version>4.0.1</version></dependency></dependencies>
</project>
POM
  mkdir -p "$(dirname "$CP")"
  (cd "$DEPS" && mvn -B -q ${SPARK_CP_MAVEN_ARGS:-} dependency:build-classpath -Dmdep.outputFile="$(cd "$(dirname "$CP")" && pwd)/$(basename "$CP")")
  rm -rf "$DEPS"
fi
OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)
exec java "-Xmx${SPARK_DRIVER_HEAP:-3g}" "${OPENS[@]}" -cp "$(cat "$CP")" org.apache.spark.deploy.SparkSubmit "$@"
