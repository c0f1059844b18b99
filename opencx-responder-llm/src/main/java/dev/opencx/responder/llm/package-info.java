/**
 * The LLM answer path: {@link dev.opencx.responder.llm.LlmResponder} over any LangChain4j chat
 * model, with tools ({@link dev.opencx.responder.llm.ToolRegistry}, {@link
 * dev.opencx.responder.llm.ToolExecutor}) as the hook for actions.
 */
package dev.opencx.responder.llm;
