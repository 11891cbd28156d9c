package io.nextbest.simulator;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF, newlines inside
 * quotes) that knows the line each record starts on and how many bytes it has consumed.
 */
final class CsvReader implements Closeable {
  /** One record and the line it starts on. */
  record Record(String[] fields, long line, String error) {}

  private final Reader in;
  private final MappedPopulation.CountingStream counting;
  private final char delimiter;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private long line = 1;
  private boolean eof;

  CsvReader(InputStream raw, char delimiter) {
    this.counting = new MappedPopulation.CountingStream(raw);
    this.in = new InputStreamReader(counting, StandardCharsets.UTF_8);
    this.delimiter = delimiter;
  }

  long bytesRead() {
    return counting.count;
  }

  /** The next record, or null at the end of the input; a malformed record carries an error instead of failing. */
  Record next() throws IOException {
    if (!fill()) {
      return null;
    }
    if (line == 1 && pos == 0 && len > 0 && buf[0] == '\uFEFF') {
      pos++;
    }
    long start = line;
    List<String> fields = new ArrayList<>(24);
    StringBuilder field = new StringBuilder(16);
    boolean quoted = false;
    boolean wasQuoted = false;
    String error = null;
    while (true) {
      if (!fill()) {
        if (quoted) {
          error = "a quoted field is not closed before the end of the file";
        }
        fields.add(field.toString());
        return new Record(fields.toArray(String[]::new), start, error);
      }
      char c = buf[pos++];
      if (quoted) {
        if (c == '"') {
          if (fill() && buf[pos] == '"') {
            field.append('"');
            pos++;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && fill() && buf[pos] == '\n') {
          pos++;
        }
        line++;
        fields.add(field.toString());
        return new Record(fields.toArray(String[]::new), start, error);
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else {
        if (c == '"' && error == null) {
          error = "a quote inside an unquoted field (field " + (fields.size() + 1) + ")";
        }
        field.append(c);
      }
    }
  }

  private boolean fill() throws IOException {
    if (pos < len) {
      return true;
    }
    if (eof) {
      return false;
    }
    len = in.read(buf, 0, buf.length);
    pos = 0;
    if (len <= 0) {
      eof = true;
      len = 0;
      return false;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

}
