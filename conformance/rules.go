package conformance

// The rules the cases test, with their sections in RFC 6455 and, where a
// sentence of the RFC states the rule, that sentence verbatim.
const (
	ruleEcho = "§5.6, §6.2: a data frame with FIN set and a text (0x1) or binary (0x2) opcode is a whole message, whatever its length form (§5.2: 7-bit up to 125 bytes, then 16-bit, then 64-bit); " +
		"an echo peer sends each message back with its type."
	ruleChop = "§5.2, §6.2: frames arrive as a byte stream; how TCP splits them into segments does not change the message."
	rulePing = "§5.5.2: \"Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it already received a Close frame.\" " +
		"§5.5.3: \"A Pong frame sent in response to a Ping frame must have identical \"Application data\" as found in the message body of the Ping frame being replied to.\""
	rulePong    = "§5.5.3: \"A Pong frame MAY be sent unsolicited.  This serves as a unidirectional heartbeat.  A response to an unsolicited Pong frame is not expected.\""
	ruleControl = "§5.5: \"All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented.\""
	ruleRSV     = "§5.2, RSV1-3: \"MUST be 0 unless an extension is negotiated that defines meanings for non-zero values.  If a nonzero value is received and none of the negotiated extensions defines the meaning of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket Connection_.\" " +
		"Frames after the violation go unanswered."
	ruleOpcode = "§5.2, Opcode: \"If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_.\" (0x3-0x7 and 0xB-0xF are reserved.)"
	ruleFrag   = "§5.4: \"A fragmented message consists of a single frame with the FIN bit clear and an opcode other than 0, followed by zero or more frames with the FIN bit clear and the opcode set to 0, and terminated by a single frame with the FIN bit set and an opcode of 0.\" " +
		"A continuation with no message in progress, or a new message inside one, breaks it (1002)."
	ruleFragCtrl = "§5.4: \"Control frames (see Section 5.5) MAY be injected in the middle of a fragmented message.\" and \"An endpoint MUST be capable of handling control frames in the middle of a fragmented message.\""
	ruleUTF8     = "§5.6: \"the whole message MUST contain valid UTF-8.\" §8.1: \"When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_.\" " +
		"The close code for it is 1007 (§7.4.1)."
	ruleUTF8Valid = "§5.6: \"The \"Payload data\" is text data encoded as UTF-8.  Note that a particular text frame might include a partial UTF-8 sequence; however, the whole message MUST contain valid UTF-8.\" " +
		"Every valid string must pass, split anywhere."
	ruleFailFast = "§8.1 (MUST fail on invalid UTF-8), as Autobahn's 6.4 cases test it: the failure should come at the first byte that can no longer be UTF-8, not at the end of the message. " +
		"Failing only at the end keeps the MUST and is NON-STRICT."
	ruleClose     = "§5.5.1: \"If an endpoint receives a Close frame and did not previously send a Close frame, the endpoint MUST send a Close frame in response.\" and \"The application MUST NOT send any more data frames after sending a Close frame.\""
	ruleCloseBody = "§5.5.1: \"If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer (in network byte order) representing a status code with value /code/ defined in Section 7.4.\" " +
		"§5.5: a control frame's payload is at most 125 bytes, so a reason at most 123."
	ruleCloseReason = "§5.5.1: \"Following the 2-byte integer, the body MAY contain UTF-8-encoded data with value /reason/\"; §8.1: invalid UTF-8 MUST fail the connection (1007)."
	ruleCodes       = "§7.4.1 defines 1000-1003 and 1007-1011; 1004 is \"Reserved\", and 1005, 1006 and 1015 are reserved values that \"MUST NOT be set as a status code in a Close control frame by an endpoint\"; " +
		"§7.4.2: \"Status codes in the range 0-999 are not used.\" 3000-3999 are \"registered directly with IANA\" and 4000-4999 are \"reserved for private use\". A code outside these is a protocol error (1002)."
	ruleMaskClient = "§5.1: \"a client MUST mask all frames that it sends to the server\" and \"The server MUST close the connection upon receiving a frame that is not masked.\""
	ruleMaskServer = "§5.1: \"A server MUST NOT mask any frames that it sends to the client.  A client MUST close a connection if it detects a masked frame.\""
	ruleMinimal    = "§5.2, Payload length: \"in all cases, the minimal number of bytes MUST be used to encode the length\"."
	ruleTopBit     = "§5.2, Payload length: the 64-bit length's \"most significant bit MUST be 0\"."
	ruleLimit      = "§10.4: \"Implementations that have implementation- and/or platform-specific limitations regarding the frame size or total message size after reassembly from multiple frames MUST protect themselves against exceeding those limits.\" " +
		"The limit is the peer's choice: 1009 (§7.4.1) refuses what is too big; an echo shows there is no smaller limit (INFORMATIONAL)."
)
