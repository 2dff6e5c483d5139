// The MT-Bench folder as the shared data lays it out, for join-votes.js and join-answers.js: where
// its files are, and its questions and model answers, looked up by id. No dependencies beyond Node.
import path from 'node:path';

/** The files of the MT-Bench folder `dir`; `answers` replaces the model answers file when given. */
export function mtBenchFiles(dir, answers) {
  return {
    questions: path.join(dir, 'question.jsonl'),
    references: path.join(dir, 'reference_answer_gpt-4.jsonl'),
    votes: path.join(dir, 'human_judgments_partial', 'judgments.jsonl'),
    answers: answers ?? path.join(dir, 'human_judgments_partial', 'model_answers.jsonl'),
  };
}

/**
 * Reads question.jsonl (`file`) with `tool` (examples/lib/jsonl.js), and returns the question of an
 * id; a missing one stops the script naming `where`, the line that asked for it.
 */
export function loadQuestions(tool, file) {
  const questions = new Map(tool.readJsonl(file).map(({ value }) => [value.question_id, value]));
  return (questionId, where) => {
    const question = questions.get(questionId);
    if (!question) tool.fail(`${where}: question ${questionId} is not in ${file}`);
    return question;
  };
}

/**
 * Reads a model answers file ({question_id, model, turns} a line): its rows in file order, each
 * with its line, and the answer of one model to one question (undefined when there is none).
 */
export function loadAnswers(tool, file) {
  const rows = tool.readJsonl(file);
  const byKey = new Map(rows.map(({ value }) => [`${value.question_id}\u0000${value.model}`, value]));
  return { rows, find: (questionId, model) => byKey.get(`${questionId}\u0000${model}`) };
}
