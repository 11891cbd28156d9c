package io.nextbest.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF, newlines inside
 * quotes), on Jackson's CSV parser, that knows the line each record starts on and how many bytes it
 * has consumed.
 */
final class CsvReader implements Closeable {
  /** One record and the line it starts on. */
  record Record(String[] fields, long line, String error) {}

  private static final CsvMapper CSV = new CsvMapper();

  private final MappedPopulation.CountingStream counting;
  private final CsvParser parser;
  private boolean failed;

  CsvReader(InputStream raw, char delimiter) {
    this.counting = new MappedPopulation.CountingStream(raw);
    try {
      PushbackReader in =
          new PushbackReader(new InputStreamReader(counting, StandardCharsets.UTF_8), 1);
      int first = in.read();
      if (first != -1 && first != '\uFEFF') {
        in.unread(first);
      }
      // The header is a record like any other: the mapping reads it.
      this.parser = (CsvParser) CSV.getFactory().createParser(in);
      parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(delimiter).withoutHeader());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  long bytesRead() {
    return counting.count;
  }

  /**
   * The next record, or null at the end of the input; a malformed record carries an error instead
   * of failing.
   */
  Record next() throws IOException {
    if (failed) {
      return null;
    }
    long line = parser.currentLocation().getLineNr();
    try {
      // Without columns in the schema, each record comes as an array of its fields.
      JsonToken t = parser.nextToken();
      if (t == null) {
        return null;
      }
      List<String> fields = new ArrayList<>(24);
      for (t = parser.nextToken(); t != JsonToken.END_ARRAY && t != null; t = parser.nextToken()) {
        if (fields.isEmpty()) {
          // The record's start: where its first field is (the array opens where the last record
          // ended).
          line = parser.currentTokenLocation().getLineNr();
        }
        fields.add(parser.getText());
      }
      return new Record(fields.toArray(String[]::new), line, null);
    } catch (JsonProcessingException e) {
      // The parser cannot carry on after a broken quote: the record is reported, and the file ends
      // there.
      failed = true;
      return new Record(new String[0], line, e.getOriginalMessage());
    }
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
