"""Real-time alert channels: fan-out to subscribers, WebSocket protocol, brokers."""
