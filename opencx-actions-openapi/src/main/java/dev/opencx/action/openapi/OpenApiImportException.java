package dev.opencx.action.openapi;

import dev.opencx.OpenCxException;

/**
 * The document cannot be imported at all: it is not JSON or YAML, not an OpenAPI or Swagger
 * document, of an unsupported version, or its file cannot be read. The message names the document
 * and the problem. Problems of single operations never throw: they are in the {@link
 * dev.opencx.action.ImportReport}.
 */
public final class OpenApiImportException extends OpenCxException {
    private static final long serialVersionUID = 1L;

    OpenApiImportException(String message) {
        super(message, false);
    }

    OpenApiImportException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
