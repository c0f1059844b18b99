/**
 * What every adapter that talks to a provider shares: webhook signature checks ({@link
 * dev.opencx.connect.Signatures}), form bodies as providers send them ({@link
 * dev.opencx.connect.FormBody}), a provider HTTP client that turns {@code 429}, {@code 5xx} and
 * {@code Retry-After} into retriable {@link dev.opencx.OpenCxException}s ({@link
 * dev.opencx.connect.ProviderHttp}), and splitting a reply to a channel's length limit ({@link
 * dev.opencx.connect.TextParts}).
 */
package dev.opencx.connect;
