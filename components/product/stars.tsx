// A star rating that screen readers read as a sentence.
export function Stars(props: { average: number; count: number }) {
  const full = Math.round(props.average);
  return (
    <p className="stars" title={`${props.average.toFixed(2)} / 5`}>
      <span aria-hidden="true">
        {"★".repeat(full)}
        {"☆".repeat(5 - full)}
      </span>{" "}
      <span className="visually-hidden">{`${props.average.toFixed(1)} out of 5 stars`}</span>
      <span className="muted">({props.count})</span>
    </p>
  );
}
