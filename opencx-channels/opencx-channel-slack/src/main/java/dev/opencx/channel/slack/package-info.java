/** Slack channel over the Events API and chat.postMessage. */
package dev.opencx.channel.slack;
