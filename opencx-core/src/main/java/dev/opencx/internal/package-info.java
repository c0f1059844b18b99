/**
 * Implementation detail of OpenCX. Nothing here is API: it may change in any release. Do not use
 * these types from your code.
 */
package dev.opencx.internal;
