package io.nextbest.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files of one rule set, by relative path: {@code dmn/*.dmn}, {@code drl/*.drl}, {@code
 * catalogue.json}, {@code indices.json}, {@code arbitration.json}, {@code learning.json}
 * (optional), {@code scenarios/*.json}. Immutable; its content hash identifies the version.
 */
public final class RuleSetSource {
  /** Where the bundled rule set lives on the class path (the {@code rules} module). */
  public static final String BUNDLED_ROOT = "nextbest/ruleset";

  private final String name;
  private final Map<String, byte[]> files;
  private final String contentHash;

  private RuleSetSource(String name, Map<String, byte[]> files) {
    this.name = name;
    TreeMap<String, byte[]> sorted = new TreeMap<>();
    files.forEach((k, v) -> sorted.put(k.replace('\\', '/'), v.clone()));
    this.files = Collections.unmodifiableMap(sorted);
    this.contentHash = hash(this.files);
  }

  public static RuleSetSource of(String name, Map<String, byte[]> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("rule set '" + name + "' has no files");
    }
    return new RuleSetSource(name, files);
  }

  /** The rule set shipped in the {@code rules} module. */
  public static RuleSetSource bundled() {
    return classpath(BUNDLED_ROOT, RuleSetSource.class.getClassLoader());
  }

  /** Reads every file below {@code root} on the class path, from a directory or a jar. */
  public static RuleSetSource classpath(String root, ClassLoader loader) {
    URL url = loader.getResource(root);
    if (url == null) {
      throw new IllegalArgumentException("no rule set on the class path at '" + root + "'");
    }
    Map<String, byte[]> files = new TreeMap<>();
    try {
      if ("file".equals(url.getProtocol())) {
        return directory(Path.of(url.toURI()), "bundled");
      }
      if (!"jar".equals(url.getProtocol())) {
        throw new IllegalArgumentException("cannot list rule set files at " + url);
      }
      JarURLConnection conn = (JarURLConnection) url.openConnection();
      conn.setUseCaches(false);
      String prefix = root.endsWith("/") ? root : root + "/";
      try (JarFile jar = conn.getJarFile()) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          JarEntry e = entries.nextElement();
          if (!e.isDirectory() && e.getName().startsWith(prefix)) {
            try (InputStream in = jar.getInputStream(e)) {
              files.put(e.getName().substring(prefix.length()), in.readAllBytes());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
    return of("bundled", files);
  }

  /** Reads every regular file below {@code dir}, skipping hidden files. */
  public static RuleSetSource directory(Path dir, String name) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        Path rel = dir.relativize(p);
        if (rel.getFileName().toString().startsWith(".")) {
          continue;
        }
        files.put(rel.toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return of(name, files);
  }

  /** A copy with some files replaced or added (e.g. an analyst's edited DMN). */
  public RuleSetSource with(String name, Map<String, byte[]> changed) {
    Map<String, byte[]> copy = new TreeMap<>(files);
    copy.putAll(changed);
    return new RuleSetSource(name, copy);
  }

  public String name() {
    return name;
  }

  /** File paths, sorted. */
  public java.util.Set<String> paths() {
    return files.keySet();
  }

  public byte[] bytes(String path) {
    byte[] b = files.get(path);
    if (b == null) {
      throw new IllegalArgumentException("rule set '" + name + "' has no file " + path);
    }
    return b.clone();
  }

  public String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  public boolean has(String path) {
    return files.containsKey(path);
  }

  /** Paths under {@code folder} ending in {@code suffix}, sorted. */
  public java.util.List<String> list(String folder, String suffix) {
    String prefix = folder.endsWith("/") ? folder : folder + "/";
    return files.keySet().stream().filter(p -> p.startsWith(prefix) && p.endsWith(suffix)).toList();
  }

  /** SHA-256 over every path and content, hex. */
  public String contentHash() {
    return contentHash;
  }

  private static String hash(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      files.forEach(
          (path, content) -> {
            md.update(path.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(content);
            md.update((byte) 0);
          });
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
