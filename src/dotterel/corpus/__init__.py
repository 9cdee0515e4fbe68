"""Corpus-scale coding: shards, a resumable manifest, process-pool and Dask execution, and
event clustering across documents.

>>> from dotterel.corpus import run_corpus
>>> report = run_corpus(["news/*.jsonl"], db="events.db", workers=2)  # doctest: +SKIP
"""

from dotterel.corpus.runner import CorpusReport, OutputSpec, ShardResult, code_shard, run_corpus
from dotterel.corpus.shards import ShardPart, ShardSpec, plan_shards, read_shard
from dotterel.store.clusters import update_clusters

__all__ = ["CorpusReport", "OutputSpec", "ShardPart", "ShardResult", "ShardSpec", "code_shard", "plan_shards",
           "read_shard", "run_corpus", "update_clusters"]
