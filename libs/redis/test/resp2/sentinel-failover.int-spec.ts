// The sentinel-failover suite again, over RESP2: its replies differ by protocol.
import './speak-resp2';
import '../sentinel-failover.int-spec';
