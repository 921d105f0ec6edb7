// The standalone suite again, over RESP2: its replies differ by protocol.
import './speak-resp2';
import '../standalone.int-spec';
