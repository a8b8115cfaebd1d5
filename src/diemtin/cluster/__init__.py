"""Duplicate groups -> Story: batch and incremental clustering of articles into stories."""

from diemtin.cluster.stories import ClusterConfig, StoryState, add_articles, cluster_articles, load_state, save_state

__all__ = ["ClusterConfig", "StoryState", "add_articles", "cluster_articles", "load_state", "save_state"]
