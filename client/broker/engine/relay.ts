export { communityUrl, RelayRefusal, RelayUnreachable, relayFetch, relayJson } from '../../engine/relay-api'
