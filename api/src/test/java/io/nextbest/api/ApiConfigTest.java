package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  @Test
  void emptyEnvironment_takesTheDefaults() {
    ApiConfig config = ApiConfig.fromEnv(Map.of());

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("nba-data"));
    assertThat(config.maxBodyBytes()).isEqualTo(262_144);
    assertThat(config.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void everyVariable_isRead() {
    ApiConfig config =
        ApiConfig.fromEnv(
            Map.of(
                "NBA_HTTP_PORT", "18080",
                "NBA_DATA_DIR", "/var/lib/nba",
                "NBA_MAX_BODY_BYTES", "1024",
                "NBA_MAX_UPLOAD_BYTES", "4096",
                "NBA_EVENT_LOOPS", "3",
                "NBA_API_KEYS", "agent-key-0123456789=agent, analyst-key-0123456789=Analyst",
                "NBA_JWT_SECRET", "a-secret-of-at-least-32-characters!",
                "NBA_RULES_DIR", "rules/src/main/resources/nextbest/ruleset"));

    assertThat(config)
        .isEqualTo(
            new ApiConfig(
                18080,
                Path.of("/var/lib/nba"),
                1024,
                4096,
                3,
                Map.of("agent-key-0123456789", Role.AGENT, "analyst-key-0123456789", Role.ANALYST),
                "a-secret-of-at-least-32-characters!",
                Path.of("rules/src/main/resources/nextbest/ruleset")));
  }

  @Test
  void shortKeys_unknownRoles_andShortSecrets_areRefused() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_API_KEYS", "short=agent")))
        .hasMessageContaining("at least 16");
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_API_KEYS", "agent-key-0123456789=boss")))
        .hasMessageContaining("unknown role 'boss'");
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_JWT_SECRET", "short")))
        .hasMessageContaining("at least 32");
  }

  @Test
  void blankVariables_takeTheDefaults() {
    assertThat(ApiConfig.fromEnv(Map.of("NBA_HTTP_PORT", " ", "NBA_DATA_DIR", "")).httpPort())
        .isEqualTo(8080);
  }

  @Test
  void nonNumericPort_failsNamingTheVariableAndValue() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_HTTP_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NBA_HTTP_PORT must be a whole number, was 'http'");
  }

  @Test
  void outOfRangeValues_failNamingTheVariable() {
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_HTTP_PORT", "70000")))
        .hasMessage("NBA_HTTP_PORT must be between 0 and 65535, was 70000");
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_MAX_BODY_BYTES", "0")))
        .hasMessageStartingWith("NBA_MAX_BODY_BYTES must be between 1 and");
    assertThatThrownBy(() -> ApiConfig.fromEnv(Map.of("NBA_EVENT_LOOPS", "0")))
        .hasMessageStartingWith("NBA_EVENT_LOOPS must be between 1 and");
  }
}
