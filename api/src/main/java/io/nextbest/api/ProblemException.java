package io.nextbest.api;

/**
 * Fails a request with a problem already worded for the client; no stack trace, it is not a bug.
 */
final class ProblemException extends RuntimeException {
  private final transient Problem problem;

  ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }
}
