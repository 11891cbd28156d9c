package io.nextbest.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.APIKeyHandler;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.ChainAuthHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
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
  private final long maxLifetimeSeconds;

  private Security(AuthenticationProvider apiKeys, JWTAuth jwt, long maxLifetimeSeconds) {
    this.apiKeys = apiKeys;
    this.jwt = jwt;
    this.maxLifetimeSeconds = maxLifetimeSeconds;
  }

  /** As {@link #create(Vertx, Map, String, long)} with tokens living at most an hour. */
  public static Security create(Vertx vertx, Map<String, Role> keys, String jwtSecret) {
    return create(vertx, keys, jwtSecret, ApiConfig.DEFAULT_JWT_MAX_LIFETIME_SECONDS);
  }

  /**
   * @param keys API key → role
   * @param jwtSecret HS256 secret, or null for no JWT
   * @param maxLifetimeSeconds the longest a token may live ({@code exp} is required)
   */
  public static Security create(
      Vertx vertx, Map<String, Role> keys, String jwtSecret, long maxLifetimeSeconds) {
    Map<String, Role> copy = Map.copyOf(keys);
    AuthenticationProvider byKey = new KeyProvider(copy);
    JWTAuth jwt =
        jwtSecret == null || jwtSecret.isBlank()
            ? null
            : new CheckedJwt(
                JWTAuth.create(
                    vertx,
                    new JWTAuthOptions()
                        .addPubSecKey(
                            new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(jwtSecret))),
                maxLifetimeSeconds);
    return new Security(byKey, jwt, maxLifetimeSeconds);
  }

  /**
   * Issues a signed token for {@code roles} (tests and tooling; the service itself never needs to).
   */
  public String token(String subject, Role... roles) {
    if (jwt == null) {
      throw new IllegalStateException("no JWT secret is configured");
    }
    JsonArray claim = new JsonArray();
    for (Role r : roles) {
      claim.add(r.claim());
    }
    return jwt.generateToken(
        new JsonObject().put("sub", subject).put("roles", claim),
        new io.vertx.ext.auth.JWTOptions()
            .setExpiresInSeconds((int) Math.min(maxLifetimeSeconds, Integer.MAX_VALUE)));
  }

  /** What {@code WWW-Authenticate} says on a 401: the schemes this service accepts. */
  String challenge() {
    String key = "ApiKey realm=\"nextbest\", header=\"" + API_KEY_HEADER + "\"";
    return jwt == null ? key : "Bearer realm=\"nextbest\", " + key;
  }

  /** Authenticates the request or fails it with 401. */
  AuthenticationHandler authenticate() {
    APIKeyHandler key = APIKeyHandler.create(apiKeys).header(API_KEY_HEADER);
    if (jwt == null) {
      return key;
    }
    return ChainAuthHandler.any().add(key).add(JWTAuthHandler.create(jwt));
  }

  /**
   * Lets the request through when the user holds one of {@code roles} (admin always does), else
   * 403.
   */
  static Handler<RoutingContext> require(Role... roles) {
    Set<Role> allowed = EnumSet.of(Role.ADMIN, roles);
    Set<String> claims =
        allowed.stream().map(Role::claim).collect(java.util.stream.Collectors.toUnmodifiableSet());
    return ctx -> {
      User user = ctx.user();
      if (user == null) {
        ctx.fail(new HttpException(401));
        return;
      }
      // A token's claims are whatever its issuer wrote: anything but a list of names grants
      // nothing.
      Object claim = user.principal().getValue("roles");
      JsonArray held = claim instanceof JsonArray a ? a : new JsonArray();
      for (Object r : held) {
        if (r instanceof String name && claims.contains(name)) {
          ctx.next();
          return;
        }
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
    // A token's subject may be any JSON value its issuer chose; only text names someone.
    Object sub = user == null ? null : user.principal().getValue("sub");
    return user == null
        ? "anonymous"
        : sub instanceof String s && !s.isBlank()
            ? (s.length() > 200 ? s.substring(0, 200) : s)
            : "unknown";
  }

  /**
   * The library's HS256 check (signature, {@code alg}, {@code exp}, {@code nbf}) and then the
   * claims this service relies on: an expiry no further than the maximum lifetime from its issue (a
   * token without one would be good forever) and roles as a list of names. A token failing either
   * is a 401.
   */
  private record CheckedJwt(JWTAuth delegate, long maxLifetimeSeconds) implements JWTAuth {
    @Override
    public Future<User> authenticate(Credentials credentials) {
      return delegate.authenticate(credentials).compose(this::checked);
    }

    private Future<User> checked(User user) {
      // The library keeps the decoded claims in the user's attributes (and some in its principal):
      // User.get looks in both.
      Object exp = user.get("exp");
      if (!(exp instanceof Number expires)) {
        return Future.failedFuture(new HttpException(401, "the bearer token has no expiry (exp)"));
      }
      Object iat = user.get("iat");
      long from =
          iat instanceof Number issued ? issued.longValue() : System.currentTimeMillis() / 1000;
      if (expires.longValue() - from > maxLifetimeSeconds) {
        return Future.failedFuture(
            new HttpException(
                401,
                "the bearer token lives longer than the maximum of "
                    + maxLifetimeSeconds
                    + " seconds"));
      }
      Object roles = user.principal().getValue("roles");
      if (roles != null
          && !(roles instanceof JsonArray a && a.stream().allMatch(String.class::isInstance))) {
        return Future.failedFuture(
            new HttpException(401, "the bearer token's roles claim must be a list of role names"));
      }
      return Future.succeededFuture(user);
    }

    @Override
    public String generateToken(JsonObject claims, io.vertx.ext.auth.JWTOptions options) {
      return delegate.generateToken(claims, options);
    }

    @Override
    public String generateToken(JsonObject claims) {
      return delegate.generateToken(claims);
    }
  }

  /**
   * API keys compared in constant time; the subject names the key by a hash prefix, never by the
   * key.
   */
  private static final class KeyProvider implements AuthenticationProvider {
    /** Each key's bytes, with the subject and role its users get: worked out once, not per call. */
    private record Key(byte[] bytes, String subject, Role role) {}

    private final List<Key> keys;

    KeyProvider(Map<String, Role> keys) {
      this.keys =
          keys.entrySet().stream()
              .map(
                  e ->
                      new Key(
                          e.getKey().getBytes(StandardCharsets.UTF_8),
                          "key:"
                              + e.getValue().claim()
                              + ":"
                              + Integer.toHexString(e.getKey().hashCode()),
                          e.getValue()))
              .toList();
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
      if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
        return Future.failedFuture(new HttpException(401));
      }
      byte[] given = token.getToken().getBytes(StandardCharsets.UTF_8);
      for (Key k : keys) {
        if (MessageDigest.isEqual(given, k.bytes())) {
          JsonObject principal =
              new JsonObject()
                  .put("sub", k.subject())
                  .put("roles", new JsonArray().add(k.role().claim()));
          return Future.succeededFuture(User.create(principal));
        }
      }
      return Future.failedFuture(new HttpException(401));
    }
  }
}
