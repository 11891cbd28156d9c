package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up's settings: defaults, 0 to switch it off, file keys, and mistakes named. */
class WarmUpConfigTest {
  @TempDir Path dir;

  @Test
  void unset_givesTheDefaults() {
    assertThat(WarmUpConfig.fromEnv(Map.of()))
        .isEqualTo(new WarmUpConfig(200_000, 120, 20_000, 10));
  }

  @Test
  void zero_switchesEachOff() {
    WarmUpConfig c =
        WarmUpConfig.fromEnv(
            Map.of(WarmUpConfig.DECISIONS, "0", WarmUpConfig.ACTIVATION_DECISIONS, " 0 "));
    assertThat(c.decisions()).isZero();
    assertThat(c.activationDecisions()).isZero();
    assertThat(c.describe()).isEqualTo("off at start, off on activation");
  }

  @Test
  void theFileSetsThem_andTheEnvironmentWins() throws Exception {
    Path f = dir.resolve("nba.yaml");
    Files.writeString(
        f, "warmup:\n  decisions: 5000\n  maxSeconds: 30\n  activationDecisions: 700\n");
    WarmUpConfig c = Settings.load(f, Map.of(WarmUpConfig.MAX_SECONDS, "45")).warmUp();
    assertThat(c).isEqualTo(new WarmUpConfig(5_000, 45, 700, 10));
  }

  @Test
  void badValues_nameTheVariableOrTheFileKey() throws Exception {
    assertThatThrownBy(() -> WarmUpConfig.fromEnv(Map.of(WarmUpConfig.DECISIONS, "lots")))
        .hasMessage("NBA_WARMUP_DECISIONS must be a whole number, was 'lots'");
    assertThatThrownBy(() -> WarmUpConfig.fromEnv(Map.of(WarmUpConfig.MAX_SECONDS, "0")))
        .hasMessage("NBA_WARMUP_MAX_SECONDS must be between 1 and 3600, was 0");
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "warmup:\n  decisions: -1\n");
    assertThatThrownBy(() -> Settings.load(f, Map.of()).warmUp())
        .hasMessageStartingWith("warmup.decisions in " + f + " must be between 0 and 10000000");
  }
}
