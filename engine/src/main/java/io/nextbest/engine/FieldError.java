package io.nextbest.engine;

/**
 * One invalid input field: its JSON-style path (e.g. {@code profile.csat[2].value}) and what is
 * wrong.
 */
public record FieldError(String field, String message) {}
