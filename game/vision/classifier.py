"""The expression classifier: a face crop in, happy/sad/fear probabilities out (LiteRT)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.vision.card import DEFAULT_MODEL, ModelCard, ModelError, card_from_dict, load_card
from game.vision.decision import readings


class ExpressionClassifier:
    """Runs `models/expression.tflite` as its card describes.

    Args:
        model_path: the .tflite file; its card is the .json beside it.
        card: use this card instead of reading one (training evaluates before the card exists).
        num_threads: LiteRT CPU threads; one keeps the UI thread's core free.
    """

    def __init__(self, model_path: str | Path = DEFAULT_MODEL, card: ModelCard | None = None,
                 num_threads: int = 1):
        from ai_edge_litert.interpreter import Interpreter

        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise ModelError(f"{self.model_path}: model file not found; train one with tools/train.py "
                             "or restore models/ from the repository")
        self.card = card if card is not None else load_card(self.model_path)
        try:
            # Read into memory, not memory-mapped: a model file replaced while the kiosk runs
            # (a new model shipped) must not pull the running model from under it.
            self._interpreter = Interpreter(model_content=self.model_path.read_bytes(), num_threads=num_threads)
            self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"{self.model_path}: not a usable TFLite model ({exc})") from exc
        inp = self._interpreter.get_input_details()[0]
        out = self._interpreter.get_output_details()[0]
        self._input_index, self._output_index = inp["index"], out["index"]
        expected = (self.card.size, self.card.size, self.card.channels)
        if tuple(inp["shape"][1:]) != expected:
            raise ModelError(f"{self.model_path}: model input {tuple(inp['shape'])} does not match its card "
                             f"(size {self.card.size}, channels {self.card.channels})")
        outputs = self.card.output_names
        if int(out["shape"][-1]) != len(outputs):
            raise ModelError(f"{self.model_path}: model has {out['shape'][-1]} outputs but its card "
                             f"names {len(outputs)}")
        self._batch = int(inp["shape"][0])
        self._columns = {name: i for i, name in enumerate(outputs)}
        gains = self.card.output_gain
        self._gains = (np.array([gains.get(name, 1.0) for name in outputs], np.float32)
                       if gains and len(outputs) > len(self.card.labels) else None)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.card.labels

    @property
    def read_labels(self) -> tuple[str, ...]:
        """The labels, then "neutral" when the model knows it (see ModelCard.read_labels)."""
        return self.card.read_labels

    def outputs(self, faces_u8: np.ndarray) -> np.ndarray:
        """uint8 crops (N, size, size) or one (size, size) -> every output column (N, outputs)."""
        faces = np.asarray(faces_u8)
        if faces.ndim == 2:
            faces = faces[None]
        x = self.card.normalise(faces)
        result = np.empty((len(x), len(self.card.output_names)), np.float32)
        for i in range(0, len(x), self._batch):
            self._interpreter.set_tensor(self._input_index, x[i:i + self._batch])
            self._interpreter.invoke()
            result[i:i + self._batch] = self._interpreter.get_tensor(self._output_index)
        np.clip(result, 0.0, 1.0, out=result)
        if self._gains is not None:
            result *= self._gains
            result /= np.maximum(result.sum(axis=1, keepdims=True), 1e-12)
        return result

    def probabilities(self, faces_u8: np.ndarray, with_neutral: bool = False) -> np.ndarray:
        """uint8 crops (N, size, size) or one (size, size) -> float probabilities (N, labels),
        or (N, read_labels) with `with_neutral`."""
        full = self.outputs(faces_u8)
        if with_neutral and self.read_labels != self.labels:
            read = readings(full, self.card.output_names, self.labels)
            return np.stack([read[name] for name in self.read_labels], axis=1)
        result = full[:, [self._columns[name] for name in self.labels]]
        names = self.labels
        if len(names) == len(self.card.output_names) and self.card.outputs_sum_to_one:
            # An int8 model's softmax comes out in steps of 1/256: renormalise so callers can
            # rely on a probability distribution.
            result /= np.maximum(result.sum(axis=1, keepdims=True), 1e-12)
        else:
            # Columns of a wider softmax: the rest is "none of these"; only undo int8 overshoot.
            result /= np.maximum(result.sum(axis=1, keepdims=True), 1.0)
        return result

    def classify(self, face_u8: np.ndarray) -> dict[str, float]:
        """One crop -> {label: probability}, "neutral" and "other" included when the model has them."""
        probs = self.probabilities(face_u8, with_neutral=True)[0]
        return {label: float(p) for label, p in zip(self.read_labels, probs)}


def default_card(labels=("happy", "sad", "fear"), outputs_sum_to_one: bool = True) -> ModelCard:
    """The card of a model trained by tools/train.py before its own card is written."""
    from game.vision.card import DEFAULT_INPUT

    return card_from_dict({"labels": list(labels), "input": DEFAULT_INPUT,
                           "output_sums_to_one": outputs_sum_to_one})
