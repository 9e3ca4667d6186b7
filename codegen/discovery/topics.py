"""Which spec file a type or resource belongs in.

An explicit table for the types the spec has, then a few name rules so that a type Discovery adds
later (the drift checker's `--suggest`) lands in a sensible file, then the default file.
"""

from __future__ import annotations

import re

DEFAULT_FILE = "types.yaml"
SERVICE_FILE = "service.yaml"
RESOURCES_FILE = "models.yaml"

_TABLE: dict[str, tuple[str, ...]] = {
    "content.yaml": (
        "Content",
        "Part",
        "Blob",
        "FileData",
        "VideoMetadata",
        "FunctionCall",
        "FunctionResponse",
        "FunctionResponseScheduling",
        "FunctionResponsePart",
        "FunctionResponseBlob",
        "ExecutableCode",
        "Language",
        "CodeExecutionResult",
        "Outcome",
        "ToolCall",
        "ToolType",
        "ToolResponse",
    ),
    "generation.yaml": (
        "GenerateContentRequest",
        "ServiceTier",
        "GenerationConfig",
        "Modality",
        "MediaResolution",
        "SpeechConfig",
        "VoiceConfig",
        "PrebuiltVoiceConfig",
        "MultiSpeakerVoiceConfig",
        "SpeakerVoiceConfig",
        "ThinkingConfig",
        "ThinkingLevel",
        "ImageConfig",
        "ResponseFormatConfig",
        "TextResponseFormat",
        "TextResponseFormatMimeType",
        "AudioResponseFormat",
        "AudioResponseFormatMimeType",
        "Delivery",
        "ImageResponseFormat",
        "ImageResponseFormatMimeType",
        "AspectRatio",
        "ImageSize",
        "GenerateContentResponse",
        "Candidate",
        "FinishReason",
        "LogprobsResult",
        "TopCandidates",
        "LogprobsResultCandidate",
        "ModelStatus",
        "ModelStage",
    ),
    "tools.yaml": (
        "Tool",
        "FunctionDeclaration",
        "Behavior",
        "Schema",
        "Type",
        "GoogleSearchRetrieval",
        "DynamicRetrievalConfig",
        "DynamicRetrievalConfigMode",
        "CodeExecution",
        "GoogleSearch",
        "Interval",
        "SearchTypes",
        "WebSearch",
        "ImageSearch",
        "ComputerUse",
        "Environment",
        "UrlContext",
        "FileSearch",
        "McpServer",
        "StreamableHttpTransport",
        "GoogleMaps",
        "ToolConfig",
        "FunctionCallingConfig",
        "FunctionCallingConfigMode",
        "RetrievalConfig",
        "LatLng",
    ),
    "safety.yaml": (
        "SafetySetting",
        "HarmCategory",
        "HarmBlockThreshold",
        "SafetyRating",
        "HarmProbability",
        "PromptFeedback",
        "PromptFeedbackBlockReason",
        "BlockedReason",
        "ContentFilter",
    ),
    "grounding.yaml": (
        "CitationMetadata",
        "CitationSource",
        "GroundingAttribution",
        "AttributionSourceId",
        "GroundingPassageId",
        "SemanticRetrieverChunk",
        "GroundingMetadata",
        "SearchEntryPoint",
        "GroundingChunk",
        "Web",
        "Image",
        "RetrievedContext",
        "GroundingChunkCustomMetadata",
        "GroundingChunkStringList",
        "Maps",
        "PlaceAnswerSources",
        "ReviewSnippet",
        "GroundingSupport",
        "Segment",
        "RetrievalMetadata",
        "UrlContextMetadata",
        "UrlMetadata",
        "UrlRetrievalStatus",
    ),
    "embeddings.yaml": (
        "EmbedContentRequest",
        "TaskType",
        "EmbedContentConfig",
        "EmbedContentResponse",
        "ContentEmbedding",
        "EmbeddingUsageMetadata",
        "BatchEmbedContentsRequest",
        "BatchEmbedContentsResponse",
    ),
    "tokens.yaml": (
        "CountTokensRequest",
        "CountTokensResponse",
        "UsageMetadata",
        "ModalityTokenCount",
        "MediaModality",
    ),
    "models.yaml": (
        "Model",
        "ListModelsResponse",
    ),
    # The Live API's session setup, which Discovery describes since revision 20260702 (its
    # messages stay hand-written in live.yaml).
    "liveSetup.yaml": (
        "BidiGenerateContentSetup",
        "HistoryConfig",
        "RealtimeInputConfig",
        "AutomaticActivityDetection",
        "StartSensitivity",
        "EndSensitivity",
        "ActivityHandling",
        "TurnCoverage",
        "SessionResumptionConfig",
        "ContextWindowCompressionConfig",
        "SlidingWindow",
        "AudioTranscriptionConfig",
        "LanguageAuto",
        "LanguageHints",
    ),
}

TYPE_FILES: dict[str, str] = {name: file for file, names in _TABLE.items() for name in names}

# Name rules for types not in the table, tried in order: a resource's own types go in its file.
TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(Operation|CustomLongRunningOperation|Status|Empty|ListOperationsResponse)$"),
        "operations.yaml",
    ),
    (re.compile(r"Permission|^GranteeType$|^Role$"), "permissions.yaml"),
    (re.compile(r"GeneratedFile"), "generatedFiles.yaml"),
    (
        re.compile(
            r"FileSearchStore|^(List)?Document|^CustomMetadata$|^StringList$|ImportFile|^ChunkingConfig$|^WhiteSpaceConfig$"
        ),
        "fileSearchStores.yaml",
    ),
    (
        re.compile(
            r"^(File|FileState|Source|VideoFileMetadata|(Create|Register|List)Files?(Request|Response))$"
        ),
        "files.yaml",
    ),
    (re.compile(r"CachedContent"), "cachedContents.yaml"),
    (re.compile(r"Tun|^Dataset$|^Hyperparameters$|TransferOwnership"), "tunedModels.yaml"),
    (re.compile(r"Corp|^MetadataFilter$|^Condition"), "corpora.yaml"),
    (re.compile(r"Batch|^Inlined|^Input(Embed)?(Content)?Config$"), "batches.yaml"),
    (re.compile(r"Predict"), "models.yaml"),
    (re.compile(r"Answer|^InputFeedback"), "generation.yaml"),
    (re.compile(r"Safety|Harm"), "safety.yaml"),
    (re.compile(r"Grounding|Citation|Retriev|UrlMetadata"), "grounding.yaml"),
    (re.compile(r"Embed"), "embeddings.yaml"),
    (re.compile(r"Token"), "tokens.yaml"),
    (re.compile(r"Tool|Function|Schema|Search"), "tools.yaml"),
    (re.compile(r"Generat|Speech|Voice|Thinking|Response"), "generation.yaml"),
    (re.compile(r"^(Model|ListModels)"), "models.yaml"),
)

RESOURCE_FILES: dict[str, str] = {"models": "models.yaml"}


def type_file(name: str) -> str:
    """The spec file a type belongs in."""
    if name in TYPE_FILES:
        return TYPE_FILES[name]
    for pattern, file in TYPE_RULES:
        if pattern.search(name):
            return file
    return DEFAULT_FILE


def resource_file(name: str) -> str:
    """The spec file a resource belongs in: `models.yaml`, or `<resource>.yaml` for the rest."""
    if name in RESOURCE_FILES:
        return RESOURCE_FILES[name]
    return name.split(".")[0] + ".yaml"
