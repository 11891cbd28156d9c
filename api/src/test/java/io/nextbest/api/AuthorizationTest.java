package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No route but health, metrics, the contract and the desk's files is reachable without credentials;
 * each refuses the wrong role with 403.
 */
@ExtendWith(VertxExtension.class)
class AuthorizationTest {
  /** Every route, its method, and the least role that may call it (null: public). */
  record Endpoint(HttpMethod method, String path, Role role) {
    String concrete() {
      if (path.equals("/desk/*")) {
        return "/desk/desk.js";
      }
      if (path.equals("/studio/*")) {
        return "/studio/studio.js";
      }
      return path.replace(":version", "1")
          .replace(":model", "Contact%20Policy")
          .replace(":id", "sim-0")
          .replace(":kind", "report")
          .replace("*", "dmn/contact-policy.dmn");
    }
  }

  static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint(HttpMethod.GET, "/health", null),
          new Endpoint(HttpMethod.GET, "/health/live", null),
          new Endpoint(HttpMethod.GET, "/health/ready", null),
          new Endpoint(HttpMethod.GET, "/metrics", null),
          // The desk's files are public: the page asks for the agent's key and sends it with its
          // calls.
          new Endpoint(HttpMethod.GET, "/desk", null),
          new Endpoint(HttpMethod.GET, "/desk/*", null),
          new Endpoint(HttpMethod.GET, "/studio", null),
          new Endpoint(HttpMethod.GET, "/studio/*", null),
          new Endpoint(HttpMethod.GET, "/v1/customers", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/v1/decisions", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/v1/events", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/v1/feedback", Role.AGENT),
          new Endpoint(HttpMethod.GET, "/v1/customers/:id/profile", Role.AGENT),
          new Endpoint(HttpMethod.GET, "/v1/decisions/:id", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/decisions/:id/replay", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/customers/:id/events", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/customers/:id/ledger", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/customers/:id/export", Role.ADMIN),
          new Endpoint(HttpMethod.DELETE, "/v1/customers/:id", Role.ADMIN),
          new Endpoint(HttpMethod.GET, "/v1/rulesets", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/rulesets/diff", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/rulesets/:version", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/rulesets/:version/dmn.zip", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/rulesets/:version/files/*", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets/:version/validate", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets/:version/test", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets/:version/activate", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets/:version/rollback", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/audit", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/experiments", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/experiments/:id", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/experiments/:id/promote", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/experiments/:id/stop", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/simulations", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/simulations", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/simulations/:id", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/simulations/:id/:kind", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/models", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/v1/models/:model/evaluate", Role.AGENT),
          new Endpoint(HttpMethod.GET, "/v1/rulesets/:version/models", Role.ANALYST),
          new Endpoint(
              HttpMethod.POST, "/v1/rulesets/:version/models/:model/evaluate", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/rulesets/:version/coverage", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets/:version/preview", Role.ANALYST),
          new Endpoint(HttpMethod.POST, "/v1/rulesets/:version/offline-evaluation", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/library", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/v1/library", Role.ANALYST),
          new Endpoint(HttpMethod.GET, "/v1/library/:model", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/v1/library/:model/evaluate", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/models/:model", Role.AGENT),
          new Endpoint(HttpMethod.POST, "/models/:model/dmnresult", Role.AGENT),
          new Endpoint(HttpMethod.GET, "/openapi.json", null));

  static Vertx vertx;
  static ApiConfig config;
  static ApiVerticle verticle;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    config = TestApi.config();
    Services services = Services.open(vertx, config);
    verticle = new ApiVerticle(services, config);
    vertx.deployVerticle(verticle).await();
  }

  static HttpResponse<Buffer> call(Endpoint e, String key) {
    WebClient client = TestApi.client(vertx, config, key);
    var request =
        client.request(e.method(), e.concrete()).putHeader("Content-Type", "application/json");
    return (e.method() == HttpMethod.POST
            ? request.sendBuffer(Buffer.buffer("{}"))
            : request.send())
        .await();
  }

  @Test
  void everyRoute_isInTheTable() {
    Set<String> registered = new TreeSet<>();
    for (Route r : verticle.router().getRoutes()) {
      if (r.getPath() != null && r.methods() != null) {
        r.methods().forEach(m -> registered.add(m.name() + " " + r.getPath()));
      }
    }
    Set<String> listed = new TreeSet<>();
    // The router reports a wildcard path without its star.
    ENDPOINTS.forEach(e -> listed.add(e.method().name() + " " + e.path().replaceAll("\\*$", "")));
    assertThat(listed).isEqualTo(registered);
  }

  @Test
  void withoutCredentials_everyProtectedRouteIs401Problem() {
    for (Endpoint e : ENDPOINTS) {
      HttpResponse<Buffer> r = call(e, null);
      if (e.role() == null) {
        assertThat(r.statusCode()).as(e.toString()).isEqualTo(200);
      } else {
        assertThat(r.statusCode()).as(e.toString()).isEqualTo(401);
        assertThat(r.getHeader("Content-Type"))
            .as(e.toString())
            .isEqualTo("application/problem+json");
      }
    }
  }

  @Test
  void aWrongKey_is401() {
    Endpoint decisions =
        ENDPOINTS.stream().filter(e -> e.path().equals("/v1/decisions")).findFirst().orElseThrow();
    assertThat(call(decisions, "not-a-real-key-000000000").statusCode()).isEqualTo(401);
  }

  @Test
  void theWrongRole_is403_andTheRightRolePassesAuthorisation() {
    List<String> checked = new ArrayList<>();
    for (Endpoint e : ENDPOINTS) {
      if (e.role() == null) {
        continue;
      }
      boolean agentOrAnalyst =
          e.path().startsWith("/v1/models")
              || e.path().startsWith("/models/")
              || (e.path().startsWith("/v1/library") && e.role() == Role.AGENT);
      if (!agentOrAnalyst) {
        List<String> wrong =
            switch (e.role()) {
              case AGENT -> List.of(TestApi.ANALYST_KEY);
              case ANALYST -> List.of(TestApi.AGENT_KEY);
              case ADMIN -> List.of(TestApi.AGENT_KEY, TestApi.ANALYST_KEY);
            };
        for (String key : wrong) {
          HttpResponse<Buffer> denied = call(e, key);
          assertThat(denied.statusCode()).as(e + " with the wrong role").isEqualTo(403);
          assertThat(denied.getHeader("Content-Type")).isEqualTo("application/problem+json");
        }
      } else {
        assertThat(call(e, TestApi.ANALYST_KEY).statusCode())
            .as(e + " as analyst")
            .isNotIn(401, 403);
      }
      String right =
          switch (e.role()) {
            case AGENT -> TestApi.AGENT_KEY;
            case ANALYST -> TestApi.ANALYST_KEY;
            case ADMIN -> TestApi.ADMIN_KEY;
          };
      assertThat(call(e, right).statusCode()).as(e + " with the right role").isNotIn(401, 403);
      assertThat(call(e, TestApi.ADMIN_KEY).statusCode()).as(e + " as admin").isNotIn(401, 403);
      checked.add(e.path());
    }
    assertThat(checked).hasSize((int) ENDPOINTS.stream().filter(e -> e.role() != null).count());
  }

  @Test
  void aJwtWithTheRole_isAccepted_andOneWithoutIsRefused() {
    Security security = Security.create(vertx, java.util.Map.of(), TestApi.JWT_SECRET);
    String analyst = security.token("ann", Role.ANALYST);
    String agent = security.token("bob", Role.AGENT);
    WebClient client = TestApi.client(vertx, config, null);
    assertThat(
            client
                .get("/v1/rulesets")
                .bearerTokenAuthentication(analyst)
                .send()
                .await()
                .statusCode())
        .isEqualTo(200);
    assertThat(
            client.get("/v1/rulesets").bearerTokenAuthentication(agent).send().await().statusCode())
        .isEqualTo(403);
    assertThat(
            client
                .get("/v1/rulesets")
                .bearerTokenAuthentication(analyst + "x")
                .send()
                .await()
                .statusCode())
        .isEqualTo(401);
  }
}
