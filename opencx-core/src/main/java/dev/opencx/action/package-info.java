/**
 * Actions: real API calls the AI can make. An {@link dev.opencx.action.Action} is the HTTP shape of
 * one operation and the JSON Schema of its arguments; an {@link dev.opencx.action.ActionRegistry}
 * holds them by name. Define them in code with {@link dev.opencx.action.Action#builder(String)} or
 * import them from OpenAPI with {@code OpenApiImporter} (module {@code opencx-actions-openapi}). An
 * {@link dev.opencx.action.ActionInvoker} makes the calls ({@code ActionExecutor} in {@code opencx-actions-http} over HTTP): it validates the arguments, fills the
 * contact-bound ones from an {@link dev.opencx.action.ActionContext}, authenticates with {@link
 * dev.opencx.action.ActionAuth}, and returns an {@link dev.opencx.action.ActionResult}.
 */
package dev.opencx.action;
