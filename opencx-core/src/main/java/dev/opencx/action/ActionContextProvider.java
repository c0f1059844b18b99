package dev.opencx.action;

import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Session;

/**
 * What the host application adds to each action call's {@link ActionContext}: the contact's own
 * credentials ({@link ActionAuth#perContactBearer()}) and the values of {@code contact.attribute.*}
 * parameters, looked up in your systems at call time. OpenCX has already set the contact's id,
 * e-mail, phone, name and external id and the session's values when it is called; the values given
 * here are never shown to the model or logged.
 *
 * <pre>{@code
 * OpenCx.builder()
 *         .actions(registry, executor)
 *         .actionContext((contact, session, ctx) -> ctx
 *                 .credential("customerToken", tokens.forContact(contact.id()))
 *                 .attribute("plan", billing.planOf(contact.id())))
 * }</pre>
 */
@FunctionalInterface
public interface ActionContextProvider {

    /** Adds nothing. */
    ActionContextProvider NONE = (contact, session, context) -> {};

    /**
     * @param contact the verified contact, with its real identities (never the redacted copy the
     *     model sees)
     * @param session the session
     * @param context the context being built
     */
    void contribute(Contact contact, Session session, ActionContext.Builder context);
}
