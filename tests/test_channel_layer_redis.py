"""The channels-redis layer the scaled-out mode uses, against a real Redis."""

import asyncio

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer

pytestmark = pytest.mark.redis


async def test_group_broadcast_reaches_every_member(redis_url):
    sender = RedisPubSubChannelLayer(hosts=[{"address": redis_url}])
    receiver = RedisPubSubChannelLayer(hosts=[{"address": redis_url}])
    try:
        first = await receiver.new_channel()
        second = await receiver.new_channel()
        await receiver.group_add("document-x", first)
        await receiver.group_add("document-x", second)
        await asyncio.sleep(0.1)  # subscriptions are asynchronous on the Redis side
        await sender.group_send("document-x", {"type": "op.committed", "rev": 1})
        received = await asyncio.wait_for(
            asyncio.gather(receiver.receive(first), receiver.receive(second)), timeout=5
        )
        assert received == [{"type": "op.committed", "rev": 1}] * 2
    finally:
        await sender.flush()
        await receiver.flush()
