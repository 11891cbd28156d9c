package io.nextbest.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.APIKeyHandler;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.ChainAuthHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Authentication by API key ({@code X-API-Key}) or, when a secret is configured, by JWT bearer
 * token (HS256, roles in the {@code roles} claim); authorisation by role. Keys and the secret come
 * from configuration, never from code. One instance per process; handlers are made per verticle.
 */
public final class Security {
  public static final String API_KEY_HEADER = "X-API-Key";

  private final AuthenticationProvider apiKeys;
  private final JWTAuth jwt;

  private Security(AuthenticationProvider apiKeys, JWTAuth jwt) {
    this.apiKeys = apiKeys;
    this.jwt = jwt;
  }

  /** @param keys API key → role; @param jwtSecret HS256 secret, or null for no JWT */
  public static Security create(Vertx vertx, Map<String, Role> keys, String jwtSecret) {
    Map<String, Role> copy = Map.copyOf(keys);
    AuthenticationProvider byKey = new KeyProvider(copy);
    JWTAuth jwt =
        jwtSecret == null || jwtSecret.isBlank()
            ? null
            : JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(jwtSecret)));
    return new Security(byKey, jwt);
  }

  /** Issues a signed token for {@code roles} (tests and tooling; the service itself never needs to). */
  public String token(String subject, Role... roles) {
    if (jwt == null) {
      throw new IllegalStateException("no JWT secret is configured");
    }
    JsonArray claim = new JsonArray();
    for (Role r : roles) {
      claim.add(r.claim());
    }
    return jwt.generateToken(new JsonObject().put("sub", subject).put("roles", claim));
  }

  /** Authenticates the request or fails it with 401. */
  AuthenticationHandler authenticate() {
    APIKeyHandler key = APIKeyHandler.create(apiKeys).header(API_KEY_HEADER);
    if (jwt == null) {
      return key;
    }
    return ChainAuthHandler.any().add(key).add(JWTAuthHandler.create(jwt));
  }

  /** Lets the request through when the user holds one of {@code roles} (admin always does), else 403. */
  static Handler<RoutingContext> require(Role... roles) {
    Set<Role> allowed = EnumSet.of(Role.ADMIN, roles);
    return ctx -> {
      User user = ctx.user();
      if (user == null) {
        ctx.fail(new HttpException(401));
        return;
      }
      JsonArray held = user.principal().getJsonArray("roles", new JsonArray());
      for (Object r : held) {
        try {
          if (allowed.contains(Role.parse(String.valueOf(r)))) {
            ctx.next();
            return;
          }
        } catch (IllegalArgumentException ignored) {
          // an unknown role grants nothing
        }
      }
      ctx.fail(new HttpException(403, "requires one of the roles " + allowed));
    };
  }

  /**
   * Who sent the request, from its credentials, without failing it: for a request refused before
   * the authentication handler ran (an upload over the size limit), so its refusal can be audited.
   * Fails when the request carries no valid credentials.
   */
  Future<User> identify(RoutingContext ctx) {
    String key = ctx.request().getHeader(API_KEY_HEADER);
    if (key != null) {
      return apiKeys.authenticate(new TokenCredentials(key));
    }
    String auth = ctx.request().getHeader("Authorization");
    if (jwt != null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return jwt.authenticate(new TokenCredentials(auth.substring(7).strip()));
    }
    return Future.failedFuture(new HttpException(401));
  }

  /** Who made the request, for the audit log. */
  static String actor(RoutingContext ctx) {
    User user = ctx.user();
    return user == null ? "anonymous" : user.principal().getString("sub", "unknown");
  }

  /** API keys compared in constant time; the subject names the key by a hash prefix, never by the key. */
  private record KeyProvider(Map<String, Role> keys) implements AuthenticationProvider {
    @Override
    public Future<User> authenticate(Credentials credentials) {
      if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
        return Future.failedFuture(new HttpException(401));
      }
      byte[] given = token.getToken().getBytes(StandardCharsets.UTF_8);
      for (Map.Entry<String, Role> e : keys.entrySet()) {
        if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
          JsonObject principal =
              new JsonObject().put("sub", "key:" + e.getValue().claim() + ":" + Integer.toHexString(e.getKey().hashCode())).put("roles", new JsonArray().add(e.getValue().claim()));
          return Future.succeededFuture(User.create(principal));
        }
      }
      return Future.failedFuture(new HttpException(401));
    }
  }

}
