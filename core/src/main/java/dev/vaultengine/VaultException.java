package dev.vaultengine;

import java.util.Optional;

/**
 * The one exception every operation throws for a documented failure. {@link #type()} is the
 * documented error type, {@link #getMessage()} the documented message, and {@link #param()} the
 * offending request field for invalid input (snake_case, as in the REST API). Messages never carry
 * a secret.
 */
public sealed class VaultException extends RuntimeException
    permits VaultException.InvalidRequest,
        VaultException.NotFound,
        VaultException.Conflict,
        VaultException.Api {

  private final ErrorType type;
  private final String param;

  VaultException(ErrorType type, String message, String param, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.param = param;
  }

  /** The documented error type. */
  public ErrorType type() {
    return type;
  }

  /** The request field the error is about, such as {@code credentials[0].access_token}. */
  public Optional<String> param() {
    return Optional.ofNullable(param);
  }

  @Override
  public String toString() {
    return "VaultException{type=" + type.wireName() + ", message=" + getMessage()
        + (param == null ? "" : ", param=" + param) + "}";
  }

  /** Creates an {@code invalid_request_error} about {@code param}. */
  public static InvalidRequest invalidRequest(String message, String param) {
    return new InvalidRequest(message, param);
  }

  /** Creates a {@code not_found_error}. */
  public static NotFound notFound(String message) {
    return new NotFound(message);
  }

  /** Creates a {@code conflict_error}, optionally about {@code param}. */
  public static Conflict conflict(String message, String param) {
    return new Conflict(message, param);
  }

  /** Creates an {@code api_error}; the cause is kept for diagnosis and must not hold a secret. */
  public static Api api(String message, Throwable cause) {
    return new Api(message, cause);
  }

  /** {@code invalid_request_error}: bad input; nothing was changed. */
  public static final class InvalidRequest extends VaultException {
    InvalidRequest(String message, String param) {
      super(ErrorType.INVALID_REQUEST, message, param, null);
    }
  }

  /** {@code not_found_error}: no such record for the calling account. */
  public static final class NotFound extends VaultException {
    NotFound(String message) {
      super(ErrorType.NOT_FOUND, message, null, null);
    }
  }

  /** {@code conflict_error}: the request collides with the current state. */
  public static final class Conflict extends VaultException {
    Conflict(String message, String param) {
      super(ErrorType.CONFLICT, message, param, null);
    }
  }

  /** {@code api_error}: an internal failure, such as a row that no longer decrypts. */
  public static final class Api extends VaultException {
    Api(String message, Throwable cause) {
      super(ErrorType.API, message, null, cause);
    }
  }
}
