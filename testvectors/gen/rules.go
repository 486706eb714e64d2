package main

// The RFC 6455 text each vector's level rests on, quoted verbatim (line
// breaks and page breaks of the RFC folded into single spaces, and a word
// the RFC hyphenates across a line break joined). A vector's
// "level" says how firmly the RFC binds the receiver:
//
//	MUST       the RFC requires this result of the receiver
//	SHOULD     the RFC recommends it
//	wsanatomy  the RFC puts the rule on the sender (a "MUST" for whoever
//	           builds the frame) and says nothing of what the receiver
//	           does; §10.7 only says "Incoming data MUST always be
//	           validated by both clients and servers" and that the
//	           endpoint "MAY drop the TCP connection". The expected result
//	           is wsanatomy's choice, and failing differently is no
//	           breach of RFC 6455.
const (
	levelMust      = "MUST"
	levelShould    = "SHOULD"
	levelWsanatomy = "wsanatomy"
)

// Frames (§5.1, §5.2, §5.3, §5.4, §5.5).
const (
	qRSV            = "If a nonzero value is received and none of the negotiated extensions defines the meaning of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket Connection_."
	qOpcode         = "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
	qLength         = "The length of the \"Payload data\", in bytes: if 0-125, that is the payload length. If 126, the following 2 bytes interpreted as a 16-bit unsigned integer are the payload length. If 127, the following 8 bytes interpreted as a 64-bit unsigned integer (the most significant bit MUST be 0) are the payload length."
	qMinimal        = "Note that in all cases, the minimal number of bytes MUST be used to encode the length, for example, the length of a 124-byte-long string can't be encoded as the sequence 126, 0, 124."
	qUnmasked       = "The server MUST close the connection upon receiving a frame that is not masked."
	qMasked         = "A client MUST close a connection if it detects a masked frame."
	qServerNoMask   = "A server MUST NOT mask any frames that it sends to the client."
	qUnmask         = "Octet i of the transformed data (\"transformed-octet-i\") is the XOR of octet i of the original data (\"original-octet-i\") with octet at index i modulo 4 of the masking key (\"masking-key-octet-j\"):"
	qControl        = "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
	qControlBetween = "An endpoint MUST be capable of handling control frames in the middle of a fragmented message."
	qFragmented     = "A fragmented message consists of a single frame with the FIN bit clear and an opcode other than 0, followed by zero or more frames with the FIN bit clear and the opcode set to 0, and terminated by a single frame with the FIN bit set and an opcode of 0."
	qUnfragmented   = "An unfragmented message consists of a single frame with the FIN bit set (Section 5.2) and an opcode other than 0."
	qInterleave     = "The fragments of one message MUST NOT be interleaved between the fragments of another message unless an extension has been negotiated that can interpret the interleaving."
	qControlOps     = "Control frames are identified by opcodes where the most significant bit of the opcode is 1."
	qBinary         = "The \"Payload data\" is arbitrary binary data whose interpretation is solely up to the application layer."
	qLimit          = "Implementations that have implementation- and/or platform-specific limitations regarding the frame size or total message size after reassembly from multiple frames MUST protect themselves against exceeding those limits."
)

// Control frames and closing (§5.5, §7).
const (
	qPing         = "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it already received a Close frame."
	qPongData     = "A Pong frame sent in response to a Ping frame must have identical \"Application data\" as found in the message body of the Ping frame being replied to."
	qUnsolicited  = "A Pong frame MAY be sent unsolicited. This serves as a unidirectional heartbeat. A response to an unsolicited Pong frame is not expected."
	qCloseReply   = "If an endpoint receives a Close frame and did not previously send a Close frame, the endpoint MUST send a Close frame in response."
	qEcho         = "(When sending a Close frame in response, the endpoint typically echos the status code it received.)"
	qFailClose    = "If _The WebSocket Connection is Established_ prior to the point where the endpoint is required to _Fail the WebSocket Connection_, the endpoint SHOULD send a Close frame with an appropriate status code (Section 7.4) before proceeding to _Close the WebSocket Connection_."
	qMask1002     = "In this case, a server MAY send a Close frame with a status code of 1002 (protocol error) as defined in Section 7.4.1."
	qCloseCode    = "_The WebSocket Connection Close Code_ is defined as the status code (Section 7.4) contained in the first Close control frame received by the application implementing this protocol."
	q1005         = "If this Close control frame contains no status code, _The WebSocket Connection Close Code_ is considered to be 1005."
	qNoDataAfter  = "The application MUST NOT send any more data frames after sending a Close frame."
	qCloseBody    = "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer (in network byte order) representing a status code with value /code/ defined in Section 7.4."
	q1004         = "Reserved. The specific meaning might be defined in the future."
	q1005Reserved = "1005 is a reserved value and MUST NOT be set as a status code in a Close control frame by an endpoint."
	q1006Reserved = "1006 is a reserved value and MUST NOT be set as a status code in a Close control frame by an endpoint."
	q1015Reserved = "1015 is a reserved value and MUST NOT be set as a status code in a Close control frame by an endpoint."
	q0999         = "Status codes in the range 0-999 are not used."
	q1000to2999   = "Status codes in the range 1000-2999 are reserved for definition by this protocol, its future revisions, and extensions specified in a permanent and readily available public specification."
	q3000to3999   = "Status codes in the range 3000-3999 are reserved for use by libraries, frameworks, and applications."
	q4000to4999   = "Status codes in the range 4000-4999 are reserved for private use and thus can't be registered."
	qUTF8         = "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_."
)

// Opening handshake (§4.1, §4.2, §10.2).
const (
	qAccept        = "The value of this header field is constructed by concatenating /key/, defined above in step 4 in Section 4.2.2, with the string \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\", taking the SHA-1 hash of this concatenated value to obtain a 20-byte value and base64-encoding (see Section 4 of [RFC4648]) this 20-byte hash."
	qBadRequest    = "the server MUST stop processing the client's handshake and return an HTTP response with an appropriate error code (such as 400 Bad Request)."
	qVersion       = "If this version does not match a version understood by the server, the server MUST abort the WebSocket handshake described in this section and instead send an appropriate HTTP error code (such as 426 Upgrade Required) and a |Sec-WebSocket-Version| header field indicating the version(s) the server is capable of understanding."
	qOriginRefuse  = "If the server does not wish to accept this connection, it MUST return an appropriate HTTP error code (e.g., 403 Forbidden) and abort the WebSocket handshake described in this section."
	qOrigin403     = "If the origin indicated is unacceptable to the server, then it SHOULD respond to the WebSocket handshake with a reply containing HTTP 403 Forbidden status code."
	qOriginMay     = "The server MAY use this information as part of a determination of whether to accept the incoming connection."
	qAcceptReply   = "If the server chooses to accept the incoming connection, it MUST reply with a valid HTTP response indicating the following."
	qSubprotocol   = "The value chosen MUST be derived from the client's handshake, specifically by selecting one of the values from the |Sec-WebSocket-Protocol| field that the server is willing to use for this connection (if any)."
	qProtocolNull  = "Either a single value representing the subprotocol the server is ready to use or null."
	qResp101       = "If the status code received from the server is not 101, the client handles the response per HTTP [RFC2616] procedures."
	qRespUpgrade   = "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a value that is not an ASCII case-insensitive match for the value \"websocket\", the client MUST _Fail the WebSocket Connection_."
	qRespConn      = "If the response lacks a |Connection| header field or the |Connection| header field doesn't contain a token that is an ASCII case-insensitive match for the value \"Upgrade\", the client MUST _Fail the WebSocket Connection_."
	qRespAccept    = "If the response lacks a |Sec-WebSocket-Accept| header field or the |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of the concatenation of the |Sec-WebSocket-Key| (as a string, not base64-decoded) with the string \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\" but ignoring any leading and trailing whitespace, the client MUST _Fail the WebSocket Connection_."
	qRespExt       = "If the response includes a |Sec-WebSocket-Extensions| header field and this header field indicates the use of an extension that was not present in the client's handshake (the server has indicated an extension not requested by the client), the client MUST _Fail the WebSocket Connection_."
	qRespProtocol  = "If the response includes a |Sec-WebSocket-Protocol| header field and this header field indicates the use of a subprotocol that was not present in the client's handshake (the server has indicated a subprotocol not requested by the client), the client MUST _Fail the WebSocket Connection_."
	qRespValidated = "If the server's response is validated as provided for above, it is said that _The WebSocket Connection is Established_ and that the WebSocket Connection is in the OPEN state."
)
