/**
 * Implementation detail of the WhatsApp channel. Nothing here is API: it may change in any release.
 * Do not use these types from your code.
 */
package dev.opencx.channel.whatsapp.internal;
