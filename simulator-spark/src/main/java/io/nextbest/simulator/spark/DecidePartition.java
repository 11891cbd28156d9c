package io.nextbest.simulator.spark;

import io.nextbest.simulator.PartitionedRun;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;

/**
 * One partition on an executor: its rows as the mapping expects cells, mapped and decided by the
 * plan (compiled once per executor JVM), its {@code customers.csv} rows written to {@code
 * part-NNNNN.csv} (through a temporary name, so a retried or speculative attempt never leaves half
 * a file), its tally handed back.
 */
final class DecidePartition
    implements Function2<Integer, Iterator<Row>, Iterator<PartitionedRun.Part>> {
  private static final long serialVersionUID = 1L;

  private final PartitionedRun plan;
  private final ArrayList<String> columns;
  private final String partsDir;
  private final String dataName;

  DecidePartition(PartitionedRun plan, List<String> columns, String partsDir, String dataName) {
    this.plan = plan;
    this.columns = new ArrayList<>(columns);
    this.partsDir = partsDir;
    this.dataName = dataName;
  }

  static String name(int partition) {
    return String.format(Locale.ROOT, "part-%05d.csv", partition);
  }

  @Override
  public Iterator<PartitionedRun.Part> call(Integer partition, Iterator<Row> rows)
      throws Exception {
    Path dir = new Path(partsDir);
    FileSystem fs = dir.getFileSystem(new Configuration());
    TaskContext task = TaskContext.get();
    Path tmp =
        new Path(
            dir, "_" + name(partition) + "." + (task == null ? 0 : task.attemptNumber()) + ".tmp");
    PartitionedRun.Part part;
    try (Writer csv = SparkSimulation.writer(fs, tmp)) {
      part =
          plan.run(
              dataName + " (partition " + partition + ")",
              columns,
              new Cells(rows, columns.size()),
              csv);
    }
    Path target = new Path(dir, name(partition));
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new java.io.IOException("cannot rename " + tmp + " to " + target);
    }
    return List.of(part).iterator();
  }

  /**
   * Spark's typed values as the mapping reads cells: text, whole numbers as Long, others as Double.
   */
  private static final class Cells implements Iterator<Object[]> {
    private final Iterator<Row> rows;
    private final int width;

    Cells(Iterator<Row> rows, int width) {
      this.rows = rows;
      this.width = width;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Object[] next() {
      Row r = rows.next();
      Object[] cells = new Object[width];
      for (int i = 0; i < width && i < r.length(); i++) {
        cells[i] = cell(r.get(i));
      }
      return cells;
    }

    static Object cell(Object v) {
      if (v == null
          || v instanceof String
          || v instanceof Boolean
          || v instanceof Long
          || v instanceof Double) {
        return v;
      }
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof Float f) {
        return f.doubleValue();
      }
      if (v instanceof BigDecimal d) {
        // Exact, as the text of a CSV cell would be.
        return d.toPlainString();
      }
      if (v instanceof java.sql.Timestamp t) {
        return t.toInstant().toString();
      }
      return v.toString();
    }
  }
}
