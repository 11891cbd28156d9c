package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The container image Jib writes to {@code target/jib-image.tar} (profile {@code image}, run after
 * {@code package} by failsafe): how it starts, what it exposes, who it runs as, where its data
 * goes.
 */
class ContainerImageIT {
  static final Path TARBALL = Path.of(System.getProperty("nba.image.tar", "target/jib-image.tar"));

  /** The entries of an uncompressed tar stream: name to (mode, bytes). */
  record Entry(int mode, byte[] bytes) {}

  static Map<String, Entry> untar(InputStream in) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      int mode = Integer.parseInt(field(header, 100, 8).strip(), 8);
      long size = Long.parseLong(field(header, 124, 12).strip(), 8);
      byte[] bytes = in.readNBytes((int) size);
      in.skipNBytes((512 - size % 512) % 512);
      entries.put(prefix.isEmpty() ? name : prefix + "/" + name, new Entry(mode, bytes));
    }
    return entries;
  }

  private static String field(byte[] header, int from, int length) {
    int end = from;
    while (end < from + length && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.US_ASCII);
  }

  @Test
  void theImage_startsTheService_onPort8080_asAnUnprivilegedUser_withItsDataInAVolume()
      throws IOException {
    Map<String, Entry> image;
    try (InputStream in = Files.newInputStream(TARBALL)) {
      image = untar(in);
    }
    JsonArray manifest =
        new JsonArray(new String(image.get("manifest.json").bytes(), StandardCharsets.UTF_8));
    assertThat(manifest.getJsonObject(0).getJsonArray("RepoTags").getString(0))
        .startsWith("nextbest/nba-api:");
    JsonObject config =
        new JsonObject(new String(image.get("config.json").bytes(), StandardCharsets.UTF_8))
            .getJsonObject("config");

    assertThat(config.getJsonArray("Entrypoint").getString(0)).isEqualTo("java");
    JsonArray entrypoint = config.getJsonArray("Entrypoint");
    assertThat(entrypoint.getString(entrypoint.size() - 1)).isEqualTo(Main.class.getName());
    assertThat(config.getJsonObject("ExposedPorts").fieldNames()).containsExactly("8080/tcp");
    String user = config.getString("User");
    assertThat(user).isNotBlank().isNotEqualTo("root");
    assertThat(Integer.parseInt(user.split(":")[0])).as("uid").isPositive();
    assertThat(config.getJsonArray("Env").stream()).contains("NBA_DATA_DIR=/data");
    assertThat(config.getJsonObject("Volumes").fieldNames()).containsExactly("/data");

    // The data directory exists in a layer, writable by that user (it is not root's).
    boolean dataDir = false;
    for (Object layer : manifest.getJsonObject(0).getJsonArray("Layers")) {
      try (InputStream in =
          new GZIPInputStream(
              new java.io.ByteArrayInputStream(image.get((String) layer).bytes()))) {
        Entry data = untar(in).get("data/");
        if (data != null) {
          dataDir = true;
          assertThat(data.mode() & 0777).isEqualTo(0777);
        }
      }
    }
    assertThat(dataDir).as("a layer holds /data").isTrue();
  }
}
