// The dead-socket suite again, over RESP2: its replies differ by protocol.
import './speak-resp2';
import '../dead-socket.int-spec';
