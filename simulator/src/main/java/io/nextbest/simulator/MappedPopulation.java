package io.nextbest.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.nextbest.engine.events.ProfileState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV or JSON Lines file turned into customers by a {@link Mapping}; rows are mapped on the
 * workers.
 */
final class MappedPopulation implements Population {
  private static final JsonFactory JSON = new JsonFactory();

  private final Input data;
  private final Mapping mapping;
  private final long seed;
  private final long size;
  private final CsvReader csv;
  private final Map<String, Integer> header;
  private final BufferedReader lines;
  private final CountingStream counted;
  private long lineNo;

  private MappedPopulation(Input data, Mapping mapping, long seed) throws IOException {
    this.data = data;
    this.mapping = mapping;
    this.seed = seed;
    this.size = data.size();
    String format =
        mapping.format != null
            ? mapping.format
            : data.extension().equals("jsonl") || data.extension().equals("ndjson")
                ? "jsonl"
                : "csv";
    InputStream in = data.open();
    if (format.equals("csv")) {
      this.csv = new CsvReader(in, mapping.delimiter);
      this.lines = null;
      this.counted = null;
      CsvReader.Record head = csv.next();
      if (head == null) {
        csv.close();
        throw SimulationException.of(
            new Problem(
                data.name(),
                1,
                null,
                null,
                "the file is empty: a CSV population needs a header row"));
      }
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < head.fields().length; i++) {
        String name = head.fields()[i].strip();
        if (index.put(name, i) != null) {
          csv.close();
          throw SimulationException.of(
              new Problem(
                  data.name(), 1, i + 1, name, "the header names column '" + name + "' twice"));
        }
      }
      this.header = index;
      mapping.checkHeader(index.keySet(), data.name());
    } else {
      this.csv = null;
      this.header = null;
      this.counted = new CountingStream(in);
      this.lines =
          new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
    }
  }

  static MappedPopulation open(Input data, Mapping mapping, long seed) {
    try {
      return new MappedPopulation(data, mapping, seed);
    } catch (IOException e) {
      throw new SimulationException("cannot read " + data.name(), e);
    }
  }

  @Override
  public Unit next() throws IOException {
    if (csv != null) {
      while (true) {
        CsvReader.Record r = csv.next();
        if (r == null) {
          return null;
        }
        if (r.fields().length == 1 && r.fields()[0].isEmpty()) {
          continue;
        }
        if (r.error() != null) {
          Problem p = new Problem(data.name(), r.line(), null, null, r.error());
          return () -> {
            throw new BadRow(p);
          };
        }
        if (r.fields().length != header.size()) {
          Problem p =
              new Problem(
                  data.name(),
                  r.line(),
                  null,
                  null,
                  "expected "
                      + header.size()
                      + " fields as in the header, found "
                      + r.fields().length);
          return () -> {
            throw new BadRow(p);
          };
        }
        CsvRow row = new CsvRow(data.name(), r.line(), r.fields(), header);
        return () -> subject(row);
      }
    }
    while (true) {
      String text = lines.readLine();
      if (text == null) {
        return null;
      }
      long line = ++lineNo;
      if (text.isBlank()) {
        continue;
      }
      return () -> subject(JsonRow.parse(data.name(), line, text));
    }
  }

  private Subject subject(Row row) {
    return subject(mapping, seed, row);
  }

  /**
   * One row mapped to a customer, or {@link BadRow}: the step {@link PartitionedRun} runs on a
   * cluster's executors too.
   */
  static Subject subject(Mapping mapping, long seed, Row row) {
    Mapping.Mapped m;
    try {
      m = mapping.map(row, seed);
    } catch (RowException e) {
      throw new BadRow(e.toProblem(row));
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      // A value the model refuses (a date out of range, an impossible field): still just a bad row.
      throw new BadRow(new Problem(row.file(), row.line(), null, null, e.getMessage()));
    }
    return new Subject(
        row.file(),
        row.line(),
        m.context().customerId(),
        m.outcome(),
        List.of(m.context()),
        () -> {
          ProfileState state = new ProfileState(m.context().customerId());
          ProfileSeeder.seed(state, m.context().profile(), m.context().asOf());
          return state;
        },
        m.context().asOf(),
        m.columns());
  }

  @Override
  public double progress() {
    long read = csv != null ? csv.bytesRead() : counted.count;
    return size <= 0 ? -1 : Math.min(1.0, (double) read / size);
  }

  @Override
  public String describe() {
    return data.name() + " mapped by " + mapping.file;
  }

  @Override
  public java.util.Map<String, java.util.SortedSet<String>> feeds() {
    return mapping.feeds();
  }

  @Override
  public String outcomeName() {
    return mapping.outcome == null ? null : mapping.outcome.name();
  }

  @Override
  public void close() throws IOException {
    if (csv != null) {
      csv.close();
    } else {
      lines.close();
    }
  }

  /** A CSV record: cells by header position; blank cells read as null. */
  record CsvRow(String file, long line, String[] values, Map<String, Integer> header)
      implements Row {
    @Override
    public Object get(String column) {
      Integer i = header.get(column);
      if (i == null) {
        return null;
      }
      String v = values[i];
      return v.isBlank() ? null : v;
    }

    @Override
    public Integer position(String column) {
      Integer i = header.get(column);
      return i == null ? null : i + 1;
    }

    @Override
    public String toString() {
      return file + ":" + line + " " + Arrays.toString(values);
    }
  }

  /**
   * A JSON object on one line; nested objects are read with dotted names ({@code address.city}).
   */
  record JsonRow(String file, long line, Map<String, Object> values, Map<String, Integer> columns)
      implements Row {
    static JsonRow parse(String file, long line, String text) {
      Map<String, Object> values = new HashMap<>();
      Map<String, Integer> columns = new HashMap<>();
      try (JsonParser p = JSON.createParser(text)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new BadRow(new Problem(file, line, 1, null, "each line must be one JSON object"));
        }
        read(p, "", values, columns);
        if (p.nextToken() != null) {
          throw new BadRow(
              new Problem(
                  file,
                  line,
                  p.currentTokenLocation().getColumnNr(),
                  null,
                  "text after the JSON object"));
        }
      } catch (JsonProcessingException e) {
        throw new BadRow(
            new Problem(
                file,
                line,
                e.getLocation() == null ? null : e.getLocation().getColumnNr(),
                null,
                "not valid JSON: " + e.getOriginalMessage()));
      } catch (IOException e) {
        throw new BadRow(new Problem(file, line, null, null, e.getMessage()));
      }
      return new JsonRow(file, line, values, columns);
    }

    private static void read(
        JsonParser p, String prefix, Map<String, Object> values, Map<String, Integer> columns)
        throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = prefix + p.currentName();
        JsonToken t = p.nextToken();
        columns.put(name, p.currentTokenLocation().getColumnNr());
        switch (t) {
          case START_OBJECT -> read(p, name + ".", values, columns);
          case START_ARRAY -> {
            List<Object> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              if (p.currentToken().isStructStart()) {
                p.skipChildren();
              } else {
                items.add(p.getText());
              }
            }
            values.put(
                name,
                items.isEmpty()
                    ? null
                    : String.join(",", items.stream().map(String::valueOf).toList()));
          }
          case VALUE_STRING -> values.put(name, p.getText().isBlank() ? null : p.getText());
          // Whole numbers stay exact (ids); others are doubles.
          case VALUE_NUMBER_INT ->
              values.put(
                  name,
                  p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                      ? p.getText()
                      : (Object) p.getLongValue());
          case VALUE_NUMBER_FLOAT -> values.put(name, p.getDoubleValue());
          case VALUE_TRUE -> values.put(name, Boolean.TRUE);
          case VALUE_FALSE -> values.put(name, Boolean.FALSE);
          default -> values.put(name, null);
        }
      }
    }

    @Override
    public Object get(String column) {
      return values.get(column);
    }

    @Override
    public Integer position(String column) {
      return columns.get(column);
    }
  }

  static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
      int r = super.read(b, off, n);
      if (r > 0) {
        count += r;
      }
      return r;
    }
  }
}
