/**
 * Implementation detail of the web channel. Nothing here is API: it may change in any release. Do
 * not use these types from your code.
 */
package dev.opencx.channel.web.internal;
