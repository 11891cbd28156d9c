package io.nextbest.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A file the user named: a path, or the name of one bundled under {@code populations/} on the class
 * path (e.g. {@code telco-churn}). Messages use the name as the user wrote it.
 */
record Input(String name, Path path, String resource) {
  private static final String ROOT = "populations/";
  private static final Map<String, String> DATA_ALIASES =
      Map.of("telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv");

  static Input mapping(String location) {
    return resolve(location, List.of(location, location + ".yaml", location + ".yml"));
  }

  static Input data(String location) {
    String alias = DATA_ALIASES.get(location);
    return resolve(
        location,
        alias == null ? List.of(location, location + ".csv", location + ".jsonl") : List.of(alias));
  }

  static Input file(Path path) {
    return new Input(path.toString(), path, null);
  }

  private static Input resolve(String location, List<String> bundled) {
    Path p = Path.of(location);
    if (Files.isRegularFile(p)) {
      return new Input(location, p, null);
    }
    ClassLoader loader = Input.class.getClassLoader();
    for (String candidate : bundled) {
      if (!candidate.contains("..") && loader.getResource(ROOT + candidate) != null) {
        return new Input(location, null, ROOT + candidate);
      }
    }
    throw SimulationException.of(
        new Problem(
            location,
            0,
            null,
            null,
            "no such file, and no bundled population of that name (bundled: telco-churn)"));
  }

  InputStream open() {
    try {
      if (path != null) {
        return Files.newInputStream(path);
      }
      InputStream in = Input.class.getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        throw new IOException("resource " + resource + " vanished");
      }
      return in;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + name, e);
    }
  }

  /** Size in bytes, or -1 when unknown. */
  long size() {
    try {
      if (path != null) {
        return Files.size(path);
      }
      URL url = Input.class.getClassLoader().getResource(resource);
      return url == null ? -1 : url.openConnection().getContentLengthLong();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The file name's extension, lower case, without the dot ("" when none). */
  String extension() {
    String n = path != null ? path.getFileName().toString() : resource;
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
