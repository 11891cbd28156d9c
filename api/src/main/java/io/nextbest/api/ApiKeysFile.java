package io.nextbest.api;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * When no keys are configured, the service makes one random key per role on first start and keeps
 * them in {@code api-keys.properties} in the data directory (readable by the owner only), so a
 * fresh install is never open and never needs a key written into code.
 */
final class ApiKeysFile {
  static final String NAME = "api-keys.properties";

  private ApiKeysFile() {}

  static Map<String, Role> loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      if (!Files.exists(file)) {
        Properties p = new Properties();
        SecureRandom random = new SecureRandom();
        for (Role role : Role.values()) {
          byte[] key = new byte[24];
          random.nextBytes(key);
          p.setProperty(role.claim(), HexFormat.of().formatHex(key));
        }
        Files.createFile(file);
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system; the data directory's own permissions apply
        }
        try (Writer w = Files.newBufferedWriter(file)) {
          p.store(w, "API keys by role, made on first start. Send one as the X-API-Key header.");
        }
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      Map<String, Role> keys = new LinkedHashMap<>();
      for (String role : p.stringPropertyNames()) {
        keys.put(p.getProperty(role).strip(), Role.parse(role));
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
