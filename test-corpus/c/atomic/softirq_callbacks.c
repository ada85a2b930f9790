// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks the kernel runs from softirq context that a module hands over without calling them:
 * completion callbacks of asynchronous crypto requests (hardware drivers complete requests from
 * tasklets) and network receive handlers (packet_type .func, protocol handlers), run from the
 * NET_RX softirq.
 */
#include <crypto/aead.h>
#include <crypto/akcipher.h>
#include <crypto/hash.h>
#include <crypto/kpp.h>
#include <crypto/acompress.h>
#include <crypto/skcipher.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/protocol.h>

struct sc_ctx {
	struct mutex mtx;
	struct completion done;
	struct packet_type pt;
	void *buf;
	size_t len;
	int err;
};

static void sc_skcipher_done_bad(void *data, int err)
{
	struct sc_ctx *ctx = data;

	mutex_lock(&ctx->mtx); // expect: sleep-in-atomic
	ctx->err = err;
	mutex_unlock(&ctx->mtx);
}

/* The usual completion: record the result and wake the waiter. */
static void sc_ahash_done_ok(void *data, int err)
{
	struct sc_ctx *ctx = data;

	ctx->err = err;
	complete(&ctx->done);
}

static void sc_aead_done_bad(void *data, int err)
{
	struct sc_ctx *ctx = data;

	ctx->buf = kmalloc(ctx->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

static void sc_akcipher_done_bad(void *data, int err)
{
	msleep(10); // expect: sleep-in-atomic
}

static void sc_kpp_done_bad(void *data, int err)
{
	struct sc_ctx *ctx = data;

	ctx->buf = vmalloc(ctx->len); // expect: vmalloc-in-atomic
}

static void sc_acomp_done_ok(void *data, int err)
{
	struct sc_ctx *ctx = data;

	ctx->buf = kmalloc(ctx->len, GFP_ATOMIC);
	complete(&ctx->done);
}

static int sc_start(struct sc_ctx *ctx, struct skcipher_request *sk, struct ahash_request *ah,
		    struct aead_request *ae, struct akcipher_request *ak, struct kpp_request *kp,
		    struct acomp_req *ac)
{
	skcipher_request_set_callback(sk, CRYPTO_TFM_REQ_MAY_SLEEP, sc_skcipher_done_bad, ctx);
	ahash_request_set_callback(ah, 0, sc_ahash_done_ok, ctx);
	aead_request_set_callback(ae, 0, sc_aead_done_bad, ctx);
	akcipher_request_set_callback(ak, 0, sc_akcipher_done_bad, ctx);
	kpp_request_set_callback(kp, 0, sc_kpp_done_bad, ctx);
	acomp_request_set_callback(ac, 0, sc_acomp_done_ok, ctx);
	return crypto_skcipher_encrypt(sk);
}

/* A packet handler in a static packet_type, registered with dev_add_pack(). */
static int sc_rcv_bad(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	void *copy = kmemdup(skb->data, skb->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic

	kfree(copy);
	kfree_skb(skb);
	return 0;
}

static struct packet_type sc_packet_type __read_mostly = {
	.type = cpu_to_be16(ETH_P_ALL),
	.func = sc_rcv_bad,
};

/* A handler set in the object passed to dev_add_pack(), in the same function. */
static int sc_rcv_dyn_bad(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			  struct net_device *orig_dev)
{
	struct sc_ctx *ctx = container_of(pt, struct sc_ctx, pt);

	mutex_lock(&ctx->mtx); // expect: sleep-in-atomic
	ctx->len = skb->len;
	mutex_unlock(&ctx->mtx);
	kfree_skb(skb);
	return 0;
}

static int sc_rcv_ok(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		     struct net_device *orig_dev)
{
	struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);

	kfree_skb(clone);
	kfree_skb(skb);
	return 0;
}

static struct packet_type sc_packet_type_ok = {
	.type = cpu_to_be16(ETH_P_IP),
	.func = sc_rcv_ok,
};

/* Protocol receive and ICMP error hooks, run from NET_RX softirq. */
static int sc_proto_rcv_bad(struct sk_buff *skb)
{
	void *state = kzalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic

	kfree(state);
	kfree_skb(skb);
	return 0;
}

static int sc_proto_err_bad(struct sk_buff *skb, u32 info)
{
	msleep(1); // expect: sleep-in-atomic
	return 0;
}

static const struct net_protocol sc_protocol = {
	.handler = sc_proto_rcv_bad,
	.err_handler = sc_proto_err_bad,
	.no_policy = 1,
};

static int sc_proto6_rcv_bad(struct sk_buff *skb)
{
	void *state = kzalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic

	kfree(state);
	kfree_skb(skb);
	return 0;
}

static int sc_proto6_err_ok(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
			    int offset, __be32 info)
{
	return 0;
}

static const struct inet6_protocol sc_protocol6 = {
	.handler = sc_proto6_rcv_bad,
	.err_handler = sc_proto6_err_ok,
	.flags = INET6_PROTO_NOPOLICY,
};

static int sc_init(struct sc_ctx *ctx)
{
	int ret;

	dev_add_pack(&sc_packet_type);
	dev_add_pack(&sc_packet_type_ok);
	ctx->pt.type = cpu_to_be16(ETH_P_ARP);
	ctx->pt.func = sc_rcv_dyn_bad;
	dev_add_pack(&ctx->pt);
	ret = inet_add_protocol(&sc_protocol, IPPROTO_UDPLITE);
	if (ret)
		return ret;
	return inet6_add_protocol(&sc_protocol6, IPPROTO_UDPLITE);
}
