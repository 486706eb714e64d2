package main

// The RFC 7692 text the permessage-deflate vectors rest on, quoted
// verbatim (line breaks folded). Where a rule is an item of a list, the
// sentence that opens the list is quoted, then "...", then the item.
const (
	// RFC 7692 §6 (the body of the section, before §6.1).
	qPMCompressedBit = "An endpoint MUST NOT set the \"Per-Message Compressed\" bit of control frames and non-first fragments of a data message. An endpoint receiving such a frame MUST _Fail the WebSocket Connection_."
	// RFC 7692 §7.2.2.
	qDecompress = "An endpoint uses the following algorithm to decompress a message. ... Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of the message. ... Decompress the resulting data using DEFLATE."
	// RFC 7692 §5.
	qPreference = "The order of elements is important as it specifies the client's preference. An element preceding another element has higher preference. It is recommended that a server accepts PMCEs with higher preference if the server supports them."
	// RFC 7692 §7: what a server declines.
	qDeclineUndefined = "A server MUST decline an extension negotiation offer for this extension if any of the following conditions are met: ... The negotiation offer contains an extension parameter not defined for use in an offer."
	qDeclineInvalid   = "A server MUST decline an extension negotiation offer for this extension if any of the following conditions are met: ... The negotiation offer contains an extension parameter with an invalid value."
	qDeclineDuplicate = "A server MUST decline an extension negotiation offer for this extension if any of the following conditions are met: ... The negotiation offer contains multiple extension parameters with the same name."
	// RFC 7692 §7: what a client refuses.
	qClientUndefined   = "A client MUST _Fail the WebSocket Connection_ if the peer server accepted an extension negotiation offer for this extension with an extension negotiation response meeting any of the following conditions: ... The negotiation response contains an extension parameter not defined for use in a response."
	qClientInvalid     = "A client MUST _Fail the WebSocket Connection_ if the peer server accepted an extension negotiation offer for this extension with an extension negotiation response meeting any of the following conditions: ... The negotiation response contains an extension parameter with an invalid value."
	qClientUnsupported = "A client MUST _Fail the WebSocket Connection_ if the peer server accepted an extension negotiation offer for this extension with an extension negotiation response meeting any of the following conditions: ... The client does not support the configuration that the response represents."
	// RFC 7692 §7.1.2.1.
	qServerWindow = "A server accepts an extension negotiation offer with this parameter by including the \"server_max_window_bits\" extension parameter in the extension negotiation response to send back to the client with the same or smaller value as the offer."
)

// RFC 6455 text used only by the permessage-deflate vectors.
const (
	// RFC 6455 §10.7.
	qValidated = "Incoming data MUST always be validated by both clients and servers."
)
