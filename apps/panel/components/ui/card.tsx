import { type ReactNode, useId } from "react";
import styles from "./card.module.css";

export interface CardProps {
  title?: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** 1 when the card is the page's main content and its title names the page. */
  headingLevel?: 1 | 2;
  children: ReactNode;
}

export function Card({ title, description, actions, headingLevel = 2, children }: CardProps) {
  const titleId = useId();
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section className={styles.card} aria-labelledby={title ? titleId : undefined}>
      {title ? (
        <header className={styles.header}>
          <div>
            <Heading id={titleId} className={styles.title}>
              {title}
            </Heading>
            {description ? <p className={styles.description}>{description}</p> : null}
          </div>
          {actions ? <div className={styles.actions}>{actions}</div> : null}
        </header>
      ) : null}
      <div className={styles.body}>{children}</div>
    </section>
  );
}
