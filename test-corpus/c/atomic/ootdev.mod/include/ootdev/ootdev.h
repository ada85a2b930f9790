/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _OOTDEV_H
#define _OOTDEV_H

#include <linux/ioctl.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

/* 128 bytes: the ring of OOTDEV_RING_ENTRIES descriptors is 64 KiB, an order-4 allocation. */
struct ootdev_desc {
	u64 addr;
	u32 len;
	u32 flags;
	u8 pad[112];
};

struct ootdev_cfg {
	u32 ring;
	u32 mode;
};

#define OOTDEV_IOC_MAGIC 'O'
#define OOTDEV_IOC_RESET _IO(OOTDEV_IOC_MAGIC, 0)
#define OOTDEV_IOC_SET_CFG _IOW(OOTDEV_IOC_MAGIC, 1, struct ootdev_cfg)
#define OOTDEV_IOC_GET_CFG _IOR(OOTDEV_IOC_MAGIC, 2, struct ootdev_cfg)

struct ootdev {
	spinlock_t lock;
	struct timer_list watchdog;
	struct ootdev_desc *ring;
	struct ootdev_cfg cfg;
	void *scratch;
};

void ootdev_init_timer(struct timer_list *t, void (*fn)(struct timer_list *));
void ootdev_start(struct ootdev *dev);

#endif
