package io.nextbest.benchmarks;

import io.nextbest.engine.Json;
import io.nextbest.engine.model.CustomerContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The eight representative contexts the benchmarks rotate through (JSON under {@code
 * nextbest/benchmarks/contexts/}): a champion right after a great resolution, an upset caller with
 * an open complaint, compounding negatives, satisfied but unattached, a capped Pushy Brand, quiet
 * hours with a new product, an outage in chat, and a transactional customer whose scores fall.
 */
public final class Corpus {
  public static final List<String> NAMES =
      List.of(
          "1-champion-great-resolution",
          "2-open-complaint-upset",
          "3-compounding-negatives",
          "4-satisfied-unattached",
          "5-pushy-brand-capped",
          "6-quiet-hours-new-product",
          "7-outage-chat",
          "8-transactional-falling");

  private Corpus() {}

  /** The request bodies, as the API receives them. */
  public static List<byte[]> json() {
    List<byte[]> out = new ArrayList<>(NAMES.size());
    for (String name : NAMES) {
      String path = "nextbest/benchmarks/contexts/" + name + ".json";
      try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing benchmark context " + path);
        }
        out.add(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  public static List<CustomerContext> contexts() {
    List<CustomerContext> out = new ArrayList<>(NAMES.size());
    for (byte[] body : json()) {
      try {
        out.add(Json.mapper().readValue(body, CustomerContext.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
