/**
 * Helpers for those who implement OpenCX's extension points (interceptors, channels, knowledge
 * stores, evaluation and benchmark tools) outside {@code opencx-core}. Unlike {@code
 * dev.opencx.internal}, these types are API: they follow the project's compatibility rules, and
 * modules other than core may use them.
 */
package dev.opencx.spi;
