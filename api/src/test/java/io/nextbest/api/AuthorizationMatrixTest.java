package io.nextbest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route × every kind of credential: none, a wrong key, each role's key, and bearer tokens
 * signed with {@code alg: none}, with a wrong secret, expired, not yet valid, without expiry,
 * living too long, and with roles as a string, an object, an unknown name or each real role. Public
 * routes answer whatever is sent; protected ones 401 (with {@code WWW-Authenticate}) for anything
 * that is not a valid credential, 403 for a valid one without the role, and never a 5xx.
 */
@ExtendWith(VertxExtension.class)
class AuthorizationMatrixTest {
  static Vertx vertx;
  static ApiConfig config;
  static WebClient client;

  /**
   * How the credential should fare on a protected route: refused as no credential, as the wrong
   * role, or held as these roles.
   */
  record Credential(String name, String apiKey, String bearer, Role role, boolean invalid) {}

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    config = TestApi.config();
    TestApi.start(vertx, config);
    client = TestApi.client(vertx, config, null);
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A token as a hostile issuer would write one: any header, any claims, signed with {@code secret}
   * (null: no signature).
   */
  static String token(String alg, JsonObject claims, String secret) {
    String head =
        b64(new JsonObject().put("alg", alg).put("typ", "JWT").encode())
            + "."
            + b64(claims.encode());
    if (secret == null) {
      return head + ".";
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return head
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(head.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject claims(Object roles, long expiresIn) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject c = new JsonObject().put("sub", "mallory").put("iat", now);
    if (roles != null) {
      c.put("roles", roles);
    }
    if (expiresIn != 0) {
      c.put("exp", now + expiresIn);
    }
    return c;
  }

  static List<Credential> credentials() {
    String s = TestApi.JWT_SECRET;
    List<Credential> out = new ArrayList<>();
    out.add(new Credential("none", null, null, null, true));
    out.add(new Credential("wrong key", "not-a-real-key-000000000", null, null, true));
    out.add(new Credential("empty key", "", null, null, true));
    out.add(new Credential("agent key", TestApi.AGENT_KEY, null, Role.AGENT, false));
    out.add(new Credential("analyst key", TestApi.ANALYST_KEY, null, Role.ANALYST, false));
    out.add(new Credential("admin key", TestApi.ADMIN_KEY, null, Role.ADMIN, false));
    out.add(
        new Credential(
            "jwt alg none",
            null,
            token("none", claims(new JsonArray().add("admin"), 600), null),
            null,
            true));
    out.add(
        new Credential(
            "jwt alg none signed",
            null,
            token("none", claims(new JsonArray().add("admin"), 600), s),
            null,
            true));
    out.add(
        new Credential(
            "jwt wrong secret",
            null,
            token("HS256", claims(new JsonArray().add("admin"), 600), s + "x"),
            null,
            true));
    out.add(
        new Credential(
            "jwt expired",
            null,
            token("HS256", claims(new JsonArray().add("admin"), -600), s),
            null,
            true));
    out.add(
        new Credential(
            "jwt not yet valid",
            null,
            token(
                "HS256",
                claims(new JsonArray().add("admin"), 1200)
                    .put("nbf", System.currentTimeMillis() / 1000 + 600),
                s),
            null,
            true));
    out.add(
        new Credential(
            "jwt without exp",
            null,
            token("HS256", claims(new JsonArray().add("admin"), 0), s),
            null,
            true));
    out.add(
        new Credential(
            "jwt living a year",
            null,
            token("HS256", claims(new JsonArray().add("admin"), 365L * 86_400), s),
            null,
            true));
    out.add(
        new Credential(
            "jwt roles as string", null, token("HS256", claims("admin", 600), s), null, true));
    out.add(
        new Credential(
            "jwt roles as object",
            null,
            token("HS256", claims(new JsonObject().put("admin", true), 600), s),
            null,
            true));
    out.add(
        new Credential(
            "jwt roles of numbers",
            null,
            token("HS256", claims(new JsonArray().add(1), 600), s),
            null,
            true));
    out.add(
        new Credential(
            "jwt sub as object",
            null,
            token(
                "HS256",
                claims(new JsonArray().add("analyst"), 600)
                    .put("sub", new JsonObject().put("a", 1)),
                s),
            Role.ANALYST,
            false));
    out.add(
        new Credential(
            "jwt unknown role",
            null,
            token("HS256", claims(new JsonArray().add("root"), 600), s),
            null,
            false));
    out.add(
        new Credential("jwt no roles", null, token("HS256", claims(null, 600), s), null, false));
    out.add(
        new Credential(
            "jwt HS512",
            null,
            token("HS512", claims(new JsonArray().add("admin"), 600), s),
            null,
            true));
    out.add(new Credential("not a jwt", null, "abc.def", null, true));
    for (Role r : Role.values()) {
      out.add(
          new Credential(
              "jwt " + r.claim(),
              null,
              token("HS256", claims(new JsonArray().add(r.claim()), 600), s),
              r,
              false));
    }
    return out;
  }

  static boolean allows(AuthorizationTest.Endpoint e, Role held) {
    if (held == null) {
      return false;
    }
    if (held == Role.ADMIN || held == e.role()) {
      return true;
    }
    // The model routes (live, library and Kogito's) serve analysts as well as agents, as
    // AuthorizationTest says.
    boolean agentOrAnalyst =
        e.path().startsWith("/v1/models")
            || e.path().startsWith("/models/")
            || (e.path().startsWith("/v1/library") && e.role() == Role.AGENT);
    return agentOrAnalyst && held == Role.ANALYST;
  }

  static HttpResponse<Buffer> call(AuthorizationTest.Endpoint e, Credential c) {
    HttpRequest<Buffer> request =
        client.request(e.method(), e.concrete()).putHeader("Content-Type", "application/json");
    if (c.apiKey() != null) {
      request.putHeader(Security.API_KEY_HEADER, c.apiKey());
    }
    if (c.bearer() != null) {
      request.bearerTokenAuthentication(c.bearer());
    }
    return (e.method() == HttpMethod.POST
            ? request.sendBuffer(Buffer.buffer("{}"))
            : request.send())
        .await();
  }

  @Test
  void everyRoute_byEveryCredential_isRefusedOrServedAsItsRoleSays_neverA5xx() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    int requests = 0;
    for (AuthorizationTest.Endpoint e : AuthorizationTest.ENDPOINTS) {
      for (Credential c : credentials()) {
        HttpResponse<Buffer> r = call(e, c);
        requests++;
        int status = r.statusCode();
        String expected;
        boolean ok;
        if (e.role() == null) {
          expected = "served";
          ok = status < 400 || status == 404;
        } else if (c.invalid()) {
          expected = "401";
          ok =
              status == 401
                  && r.getHeader("WWW-Authenticate") != null
                  && r.getHeader("WWW-Authenticate").contains("X-API-Key");
        } else if (allows(e, c.role())) {
          expected = "past authorisation";
          ok = status != 401 && status != 403 && status < 500;
        } else {
          expected = "403";
          ok = status == 403;
        }
        outcomes.merge(expected + " -> " + status, 1, Integer::sum);
        if (!ok || status >= 500) {
          wrong.add(
              e.method()
                  + " "
                  + e.concrete()
                  + " with "
                  + c.name()
                  + ": "
                  + status
                  + " (expected "
                  + expected
                  + ") "
                  + r.bodyAsString());
        }
      }
    }
    assertThat(wrong).isEmpty();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("routes", AuthorizationTest.ENDPOINTS.size());
    figures.put("credentials", credentials().size());
    figures.put("requests", requests);
    figures.put("outcomes", outcomes);
    Files.writeString(
        Path.of("target", "authorization-matrix.json"), new JsonObject(figures).encodePrettily());
  }
}
